//! Work shared over the machine's cores, its results kept in order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewer items than this are done on the calling thread: starting threads would cost more.
const WORTH_SHARING: usize = 64;

/// Apply `f` to every item on all cores, keeping the order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, || (), |(), item| f(item))
}

/// As `map`, each thread first making its own state with `init` (a handle that cannot be
/// shared between threads), which `f` is given with every item. Items are handed out in
/// small blocks as threads become free, so that a run of costly items (the risks, sorted
/// together) does not leave one thread working while the others wait.
pub fn map_with<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || items.len() < WORTH_SHARING {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    // About sixty-four blocks a thread, of at most 256 items: small enough that the threads
    // finish within a block's work of each other (a block of files is a few milliseconds),
    // large enough that handing them out costs nothing.
    let block = (items.len() / (threads * 64)).clamp(1, 256);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(block, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + block).min(items.len());
            let results = items[start..end]
                .iter()
                .map(|item| f(&mut state, item))
                .collect();
            done.push((start, results));
        }
    };
    // The calling thread works too, beside one thread started for each other core.
    let mut blocks: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut blocks = work();
        for handle in handles {
            blocks.extend(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        blocks
    });
    blocks.sort_unstable_by_key(|(start, _)| *start);
    // Each block is freed as it is moved into place: the results are never held twice over.
    let mut all = Vec::with_capacity(items.len());
    for (_, results) in blocks {
        all.extend(results);
    }
    all
}

/// Free `value` on a thread of its own, beside what follows: freeing a table of an entry
/// for every record, one allocation at a time, takes tens of milliseconds on a large
/// register. (Should no thread start, it is freed here.)
pub fn free_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_however_uneven_the_work() {
        let items: Vec<u64> = (0..5_000).collect();
        // Early items cost far more than late ones.
        let squares = map(&items, |i| {
            if *i < 100 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            i * i
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(map(&[] as &[u64], |i| *i).is_empty());
    }

    #[test]
    fn what_is_freed_aside_is_freed_on_another_thread() {
        struct Tells(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Tells {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (tell, told) = std::sync::mpsc::channel();
        free_aside(Tells(tell));
        let freed_on = told
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("freed");
        assert_ne!(freed_on, std::thread::current().id());
    }

    #[test]
    fn each_thread_makes_its_state_once() {
        let made = AtomicUsize::new(0);
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = map_with(
            &items,
            || made.fetch_add(1, Ordering::Relaxed),
            |_, i| i * 2,
        );
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(made.load(Ordering::Relaxed) <= 8, "one state per thread");
    }
}
