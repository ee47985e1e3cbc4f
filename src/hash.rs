//! Hash maps for the hot paths, keyed by what records hold (ids, paths, blob ids): looked up
//! hundreds of thousands of times on a large repository, where the standard library's SipHash
//! cost more than the lookups. foldhash is much quicker on short keys and is seeded afresh in
//! each process, so a repository cannot be written to make its maps slow.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
