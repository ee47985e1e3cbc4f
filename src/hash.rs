//! Hash maps for the hot paths, keyed by what records hold (ids, paths, blob ids): looked up
//! hundreds of thousands of times on a large repository, where the standard library's SipHash
//! cost more than the lookups. foldhash is much quicker on short keys and is seeded afresh in
//! each process, so a repository cannot be written to make its maps slow.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Where each id is in a list of records, holding positions only: the ids are the records'
/// own, never copied. With duplicate ids the first wins.
#[derive(Clone, Default)]
pub struct Ids {
    table: hashbrown::HashTable<usize>,
    hasher: foldhash::fast::RandomState,
}

impl Ids {
    /// The index of `ids`, in the order given.
    pub fn of<'a>(ids: impl Iterator<Item = &'a str>) -> Ids {
        use std::hash::BuildHasher;
        let hasher = foldhash::fast::RandomState::default();
        let all: Vec<&str> = ids.collect();
        let mut table = hashbrown::HashTable::with_capacity(all.len());
        for (i, id) in all.iter().enumerate() {
            let hash = hasher.hash_one(id);
            if let hashbrown::hash_table::Entry::Vacant(slot) =
                table.entry(hash, |&j| all[j] == *id, |&j| hasher.hash_one(all[j]))
            {
                slot.insert(i);
            }
        }
        Ids { table, hasher }
    }

    /// Where `id` is, given the id at each position.
    pub fn find<'a>(&self, id: &str, at: impl Fn(usize) -> &'a str) -> Option<usize> {
        use std::hash::BuildHasher;
        self.table
            .find(self.hasher.hash_one(id), |&i| at(i) == id)
            .copied()
    }
}

impl std::fmt::Debug for Ids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ids({} ids)", self.table.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Ids;

    #[test]
    fn ids_are_found_where_they_first_are() {
        let ids = ["R-2", "R-1", "R-2", "R-3"];
        let index = Ids::of(ids.iter().copied());
        let at = |i: usize| ids[i];
        assert_eq!(index.find("R-1", at), Some(1));
        assert_eq!(index.find("R-2", at), Some(0), "the first of duplicates");
        assert_eq!(index.find("R-3", at), Some(3));
        assert_eq!(index.find("R-4", at), None);
        assert_eq!(Ids::default().find("R-1", at), None);
    }
}
