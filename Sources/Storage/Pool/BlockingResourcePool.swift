import NIOConcurrencyHelpers
import NIOPosix

/// A fixed set of blocking resources (libpq or hiredis connections) lent one caller at a time,
/// with the blocking work run on a dedicated `NIOThreadPool`, never on an event loop or the
/// cooperative pool.
///
/// All `maxResources` resources are created up front (cheaply: they connect lazily on first use),
/// and the thread pool has one thread per resource, so a borrowed resource always has a thread.
/// Callers beyond `maxResources` wait in FIFO order.
///
/// Waiting is not cancellable: a cancelled task keeps its place and gets its resource (the work
/// it then runs is short); the pool never loses a resource.
final class BlockingResourcePool<Resource: AnyObject & Sendable>: Sendable {
    private struct State {
        var idle: [Resource]
        var waiters: [CheckedContinuation<Resource, any Error>] = []
        var closed = false
    }

    private let state: NIOLockedValueBox<State>
    private let threadPool: NIOThreadPool
    /// Every resource ever created, for `close`.
    let all: [Resource]

    /// - Parameters:
    ///   - resources: the resources to lend; their number bounds concurrency.
    init(resources: [Resource]) {
        precondition(!resources.isEmpty, "a pool needs at least one resource")
        self.all = resources
        self.state = NIOLockedValueBox(State(idle: resources))
        self.threadPool = NIOThreadPool(numberOfThreads: resources.count)
        self.threadPool.start()
    }

    /// Borrows a resource, runs `body` with it on the pool's thread, and gives it back.
    ///
    /// `body` runs synchronously and may block (that is the point); it must not keep the resource.
    func withResource<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        let resource = try await acquire()
        defer { release(resource) }
        return try await threadPool.runIfActive { try body(resource) }
    }

    private enum Decision {
        case take(Resource)
        case wait
        case closed
    }

    private func acquire() async throws -> Resource {
        let decision: Decision = state.withLockedValue { state in
            if state.closed { return .closed }
            if let resource = state.idle.popLast() { return .take(resource) }
            return .wait
        }
        switch decision {
        case .take(let resource):
            return resource
        case .closed:
            throw PoolClosedError()
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<Resource, any Error>? = state.withLockedValue { state in
                    if state.closed { return .failure(PoolClosedError()) }
                    // A resource may have come back between the two locks.
                    if let resource = state.idle.popLast() { return .success(resource) }
                    state.waiters.append(continuation)
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        }
    }

    private func release(_ resource: Resource) {
        let waiter: CheckedContinuation<Resource, any Error>? = state.withLockedValue { state in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }  // few waiters: O(n) is fine
            state.idle.append(resource)
            return nil
        }
        waiter?.resume(returning: resource)
    }

    /// Fails every waiter, stops lending, then calls `destroy` on each idle resource on the
    /// thread pool and shuts the thread pool down. Resources still borrowed are destroyed by the
    /// caller's `destroy` only if they come back before the thread pool has drained; call `close`
    /// once nothing is in flight.
    func close(_ destroy: @escaping @Sendable (Resource) -> Void) async {
        let waiters: [CheckedContinuation<Resource, any Error>] = state.withLockedValue { state in
            let waiters = state.waiters
            state.waiters = []
            state.closed = true
            return waiters
        }
        for waiter in waiters { waiter.resume(throwing: PoolClosedError()) }
        let resources = all
        _ = try? await threadPool.runIfActive { for resource in resources { destroy(resource) } }
        try? await threadPool.shutdownGracefully()
    }

    /// Whether `close` has been called.
    var isClosed: Bool { state.withLockedValue { $0.closed } }
}

/// Thrown by a pool after `close()`; clients map it to their own error type.
struct PoolClosedError: Error {}
