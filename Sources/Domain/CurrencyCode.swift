/// The rule a product's `currency` is held to, whichever way it arrives (the API's `ProductInput`
/// and `hybridrank import`): three ASCII letters, stored upper-case, so `eur` and `EUR` are one
/// currency for the currency filter and the catalog's main-currency count.
public enum CurrencyCode {
    /// `text` upper-cased when it is three ASCII letters; nil otherwise.
    public static func normalized(_ text: String) -> String? {
        guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return text.uppercased()
    }
}
