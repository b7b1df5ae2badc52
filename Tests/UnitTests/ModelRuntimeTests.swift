import Dispatch
import Logging
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
@testable import ShopData
import Support

@Suite("Model pool thread split")
struct ModelRuntimeTests {
    @Test("A lone model call gets every pool thread; a call that overlaps another gets one")
    func adaptiveThreads() async throws {
        var configuration = ServiceConfiguration()
        configuration.loadModels = false
        configuration.modelThreads = 2
        let runtime = ModelRuntime(configuration: configuration, logger: Logger(label: "test"))
        defer { Task { await runtime.shutdown() } }

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
}
