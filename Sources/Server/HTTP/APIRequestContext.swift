import Engine
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basic one plus the client's address,
/// which the rate limiter counts requests without a key by.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy's address behind one; see
    /// `AccessConfiguration.trustForwardedFor`).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
