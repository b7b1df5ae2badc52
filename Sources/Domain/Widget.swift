/// The placements a shop embeds; each has its own candidate mix and rule defaults.
public enum Widget: String, Sendable, Hashable, Codable, CaseIterable {
    case homepage
    case product
    case cart
    case frequentlyBoughtTogether = "frequently_bought_together"
    case search
}
