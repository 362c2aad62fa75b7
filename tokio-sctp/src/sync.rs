//! Wake-up plumbing shared by the engine and the demux: a lock that shrugs off poisoning, and
//! [`WakerSet`], the tasks waiting on one thing, woken together.
//!
//! A `WakerSet` is also a [`Wake`]: handed to tokio's reactor as the waker of a socket's read
//! (or write) readiness, one readiness edge wakes every task in the set, and each re-checks
//! what it waits for. That is how any number of tasks wait on one socket through a single
//! readiness slot, and how a change made by one task (a queued message, a latched end, an
//! association coming up) reaches all the others: whoever makes the change wakes the set.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Wake, Waker};

/// Locks `m`, taking the guard even if another thread panicked while holding it.
///
/// The state behind these locks is consistent between statements that can panic, and
/// poisoning would turn one panic into a panic in every later call on the socket.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A waiter's place in a [`WakerSet`]: empty until it first registers.
///
/// The owner (a future, a `Stream`, a receiver) keeps it across polls and
/// [removes](WakerSet::remove) it when it stops waiting, so the set never holds the waker of a
/// waiter that is gone for longer than until the next wake-up.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    id: Option<u64>,
}

impl Slot {
    /// A new, unregistered place.
    pub(crate) const fn new() -> Self {
        Slot { id: None }
    }

    /// The one place shared by every caller of a `poll_*` method of a socket: each poll
    /// replaces the waker of the previous one, so only the last task to poll is woken (the
    /// tokio convention for `poll_*` methods on `&self`).
    pub(crate) const fn last_poller() -> Self {
        Slot { id: Some(0) }
    }

    /// A place with a fixed id chosen by the owner (the demux numbers its receivers).
    pub(crate) const fn with_id(id: u64) -> Self {
        Slot { id: Some(id + 1) }
    }
}

/// Tasks waiting on one thing. Registering and removing are cheap; waking takes every waker
/// out of the set (a waiter that still waits registers again when it is polled).
#[derive(Debug, Default)]
pub(crate) struct WakerSet {
    inner: Mutex<Inner>,
    /// How many wakers `inner` holds, readable without the lock: a waiter that leaves an
    /// empty set (its waker was taken by the wake-up that woke it) takes no lock. Only
    /// [`remove`](Self::remove) reads it: its own waker, if there, counts.
    len: AtomicUsize,
}

#[derive(Debug, Default)]
struct Inner {
    wakers: Vec<(u64, Waker)>,
    /// The next id for a [`Slot::new`] (ids `1..=u32::MAX` are left to [`Slot::with_id`]).
    next: u64,
}

/// Wakers woken per round, outside the lock.
const WAKE_BATCH: usize = 16;

impl WakerSet {
    /// Puts `waker` in `slot`'s place (replacing the waker there, if it would wake another
    /// task), giving the slot a place first if it has none.
    pub(crate) fn register(&self, slot: &mut Slot, waker: &Waker) {
        let mut inner = lock(&self.inner);
        let id = match slot.id {
            Some(id) => id,
            None => {
                inner.next = inner.next.max(1 << 32) + 1;
                let id = inner.next;
                slot.id = Some(id);
                id
            }
        };
        match inner.wakers.iter_mut().find(|(i, _)| *i == id) {
            Some((_, w)) => {
                if !w.will_wake(waker) {
                    w.clone_from(waker);
                }
            }
            None => {
                inner.wakers.push((id, waker.clone()));
                self.len.store(inner.wakers.len(), Ordering::Release);
            }
        }
    }

    /// Takes `slot`'s waker out of the set, if it is there. The shared
    /// [`last_poller`](Slot::last_poller) place stays: another task may be waiting in it.
    pub(crate) fn remove(&self, slot: &Slot) {
        let Some(id) = slot.id.filter(|&id| id != 0) else {
            return;
        };
        // The waiter's own registration happened before this call: if the set looks empty,
        // its waker is not in it.
        if self.len.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut inner = lock(&self.inner);
        if let Some(i) = inner.wakers.iter().position(|(w, _)| *w == id) {
            inner.wakers.swap_remove(i);
            self.len.store(inner.wakers.len(), Ordering::Release);
        }
    }

    /// Wakes the waiters of the given places (and takes them out of the set).
    pub(crate) fn wake_slots(&self, slots: impl IntoIterator<Item = u64>) {
        let mut batch = Vec::new();
        {
            let mut inner = lock(&self.inner);
            for id in slots {
                let id = id + 1;
                if let Some(i) = inner.wakers.iter().position(|(w, _)| *w == id) {
                    batch.push(inner.wakers.swap_remove(i).1);
                }
            }
            self.len.store(inner.wakers.len(), Ordering::Release);
        }
        batch.into_iter().for_each(Waker::wake);
    }

    /// Wakes every waiter (and empties the set), outside the lock: a waker may run code that
    /// registers again.
    pub(crate) fn wake_all(&self) {
        loop {
            let mut batch: [Option<Waker>; WAKE_BATCH] = Default::default();
            // No shortcut on `len` here: a waker must not miss a waiter that registered just
            // before it changed what that waiter checks (the lock orders the two).
            let more = {
                let mut inner = lock(&self.inner);
                for b in batch.iter_mut() {
                    match inner.wakers.pop() {
                        Some((_, w)) => *b = Some(w),
                        None => break,
                    }
                }
                self.len.store(inner.wakers.len(), Ordering::Release);
                !inner.wakers.is_empty()
            };
            batch.into_iter().flatten().for_each(Waker::wake);
            if !more {
                return;
            }
        }
    }
}

/// The place of one waiting future in a [`WakerSet`], left when the future completes or is
/// dropped.
#[derive(Debug)]
pub(crate) struct WaitGuard<'a> {
    set: &'a WakerSet,
    slot: Slot,
}

impl<'a> WaitGuard<'a> {
    /// A new place in `set` (taken on the first wait).
    pub(crate) fn new(set: &'a WakerSet) -> Self {
        WaitGuard {
            set,
            slot: Slot::new(),
        }
    }

    /// The place, for [`WakerSet::register`].
    pub(crate) fn slot(&mut self) -> &mut Slot {
        &mut self.slot
    }
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.set.remove(&self.slot);
    }
}

impl Wake for WakerSet {
    fn wake(self: Arc<Self>) {
        self.wake_all();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counter() -> (Arc<Count>, Waker) {
        let c = Arc::new(Count(AtomicUsize::new(0)));
        (Arc::clone(&c), Waker::from(c))
    }

    #[test]
    fn wake_all_reaches_every_waiter_once_and_empties_the_set() {
        let set = Arc::new(WakerSet::default());
        let counters: Vec<_> = (0..40).map(|_| counter()).collect();
        let mut slots: Vec<Slot> = (0..40).map(|_| Slot::new()).collect();
        for (slot, (_, w)) in slots.iter_mut().zip(&counters) {
            set.register(slot, w);
            set.register(slot, w); // again: still one place
        }
        Waker::from(Arc::clone(&set)).wake_by_ref();
        set.wake_all();
        for (c, _) in &counters {
            assert_eq!(c.0.load(Ordering::SeqCst), 1);
        }
    }

    #[test]
    fn a_removed_or_replaced_waiter_is_not_woken() {
        let set = WakerSet::default();
        let (a, wa) = counter();
        let (b, wb) = counter();
        let mut gone = Slot::new();
        set.register(&mut gone, &wa);
        set.remove(&gone);
        let mut shared = Slot::last_poller();
        set.register(&mut shared, &wa);
        let mut shared_again = Slot::last_poller();
        set.register(&mut shared_again, &wb);
        set.remove(&shared_again); // the shared place stays
        set.wake_all();
        assert_eq!(a.0.load(Ordering::SeqCst), 0);
        assert_eq!(b.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn wake_slots_wakes_only_those() {
        let set = WakerSet::default();
        let (a, wa) = counter();
        let (b, wb) = counter();
        set.register(&mut Slot::with_id(7), &wa);
        set.register(&mut Slot::with_id(8), &wb);
        set.wake_slots([7]);
        assert_eq!(a.0.load(Ordering::SeqCst), 1);
        assert_eq!(b.0.load(Ordering::SeqCst), 0);
        set.wake_all();
        assert_eq!(b.0.load(Ordering::SeqCst), 1);
    }
}
