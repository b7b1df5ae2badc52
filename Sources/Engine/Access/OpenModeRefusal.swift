/// `serve` on an address other than loopback with no API key ever created, and without
/// `AccessConfiguration.allowOpen`: every route would be open to whoever reaches the port.
public struct OpenModeRefusal: Error, CustomStringConvertible {
    public var host: String

    package init(host: String) {
        self.host = host
    }

    public var description: String {
        "refusing to serve on \(host) with no API keys: anyone who reaches it could change the catalog. "
            + "Create a key (hybridrank keys create --scope admin), bind 127.0.0.1, or pass --allow-open "
            + "(HYBRIDRANK_ALLOW_OPEN=1) to serve it open on purpose"
    }

    /// Whether `host` is a loopback address (only this machine can connect).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
