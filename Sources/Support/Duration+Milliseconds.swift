extension Duration {
    /// This duration in fractional milliseconds, the unit every timing, metric and report uses.
    public var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }

    /// This duration in fractional seconds (Prometheus histograms are in seconds).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
