//! Hash maps for the hot paths, keyed by what records hold (ids, paths, blob ids): looked up
//! hundreds of thousands of times on a large repository, where the standard library's SipHash
//! cost more than the lookups. foldhash is much quicker on short keys and is seeded afresh in
//! each process, so a repository cannot be written to make its maps slow.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Values found by a text key that lives elsewhere (a record's id, a path in a history): the
/// table holds the values only, and the caller says, for a value, what its key is. A hundred
/// thousand keys are never copied.
pub struct Keyed<V> {
    table: hashbrown::HashTable<V>,
    hasher: foldhash::fast::RandomState,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed::with_capacity(0)
    }
}

impl<V: Clone> Clone for Keyed<V> {
    fn clone(&self) -> Self {
        Keyed {
            table: self.table.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<V> std::fmt::Debug for Keyed<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keyed({} keys)", self.table.len())
    }
}

impl<V> Keyed<V> {
    pub fn with_capacity(capacity: usize) -> Self {
        Keyed {
            table: hashbrown::HashTable::with_capacity(capacity),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// The value under `key`, where `key_of` gives each value's key.
    pub fn get<'k>(&self, key: &str, key_of: impl Fn(&V) -> &'k str) -> Option<&V> {
        use std::hash::BuildHasher;
        self.table
            .find(self.hasher.hash_one(key), |v| key_of(v) == key)
    }

    /// The value under `key`, made with `make` if there is none yet.
    pub fn get_or_insert_with<'k>(
        &mut self,
        key: &str,
        key_of: impl Fn(&V) -> &'k str,
        make: impl FnOnce() -> V,
    ) -> &mut V {
        use std::hash::BuildHasher;
        let hasher = &self.hasher;
        self.table
            .entry(
                hasher.hash_one(key),
                |v| key_of(v) == key,
                |v| hasher.hash_one(key_of(v)),
            )
            .or_insert_with(make)
            .into_mut()
    }
}

/// Where each id is in a list of records, holding positions only: the ids are the records'
/// own, never copied. With duplicate ids the first wins.
#[derive(Clone, Debug, Default)]
pub struct Ids(Keyed<usize>);

impl Ids {
    /// The index of `ids`, in the order given.
    pub fn of<'a>(ids: impl Iterator<Item = &'a str>) -> Ids {
        let all: Vec<&str> = ids.collect();
        let mut index = Keyed::with_capacity(all.len());
        for (i, id) in all.iter().enumerate() {
            index.get_or_insert_with(id, |&j| all[j], || i);
        }
        Ids(index)
    }

    /// Where `id` is, given the id at each position.
    pub fn find<'a>(&self, id: &str, at: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.0.get(id, |&i| at(i)).copied()
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
