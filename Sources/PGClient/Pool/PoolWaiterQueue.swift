import NIOCore

/// The pool's waiters by id, in the order they were queued: the machine's order.
///
/// The machine serves waiters from the head of its queue (a timeout too, as all share one
/// timeout), so the waiter an action names is almost always the first here, and finding it
/// compares one id. Only a cancelled waiter, or one the machine served as soon as it was
/// queued, is looked for further in. A dictionary hashed the id to add a waiter and again to
/// take it.
struct PoolWaiterQueue<Waiter> {
    private var entries = CircularBuffer<(id: PGPool.Machine.WaiterID, waiter: Waiter)>()

    /// Queues `waiter` under `id`, after every waiter queued before it.
    mutating func append(_ waiter: Waiter, for id: PGPool.Machine.WaiterID) {
        entries.append((id, waiter))
    }

    /// Takes the waiter queued under `id` out of the queue; `nil` when there is none (it left).
    mutating func remove(_ id: PGPool.Machine.WaiterID) -> Waiter? {
        if let first = entries.first, first.id == id { return entries.removeFirst().waiter }
        if let last = entries.last, last.id == id { return entries.removeLast().waiter }
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        return entries.remove(at: index).waiter
    }
}
