import Dispatch
import Logging
import ServiceLifecycle
import Testing

@testable import Engine
@testable import Ranking
import Support

@Suite("Model pool thread split")
struct ModelRuntimeTests {
    @Test("A lone model call gets every pool thread; a call that overlaps another gets one")
    func adaptiveThreads() async throws {
        var configuration = ServiceConfiguration()
        configuration.loadModels = false
        configuration.modelThreads = 2
        let runtime = await ModelRuntime.load(configuration: configuration, logger: Logger(label: "test"))

        let alone = try await runtime.run { threads in [Float(threads)] }
        #expect(alone == [2])

        // The first job holds its pool thread until the second has started and read its count.
        let firstStarted = DispatchSemaphore(value: 0)
        let secondDone = DispatchSemaphore(value: 0)
        async let first = runtime.run { threads in
            firstStarted.signal()
            secondDone.wait()
            return [Float(threads)]
        }
        firstStarted.wait()
        let second = try await runtime.run { threads in
            defer { secondDone.signal() }
            return [Float(threads)]
        }
        #expect(try await first == [2])
        #expect(second == [1])

        let afterwards = try await runtime.run { threads in [Float(threads)] }
        #expect(afterwards == [2])
    }

    @Test("As a lifecycle service the pool lives until graceful shutdown, then refuses work")
    func stopsAtGracefulShutdown() async throws {
        var configuration = ServiceConfiguration()
        configuration.loadModels = false
        let runtime = await ModelRuntime.load(configuration: configuration, logger: Logger(label: "test"))
        let group = ServiceGroup(services: [runtime], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await runtime.run { threads in [Float(threads)] } == [2])
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await #expect(throws: (any Error).self) { try await runtime.run { _ in [] } }
    }
}
