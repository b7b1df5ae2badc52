/// One category of the synthetic shop: what its products are called, what they cost, and which
/// other categories people buy with it.
public struct DemoShopCategory: Sendable, Hashable {
    public var name: String
    /// Relative size of the category in the catalog.
    public var share: Double
    /// Median price and the spread of log-price (prices are log-normal per category).
    public var medianPrice: Double
    public var priceSpread: Double
    public var nouns: [String]
    public var materials: [String]
    /// Phrases for descriptions ("keeps herbs fresh for a week").
    public var uses: [String]
    /// Names of categories bought together with this one (co-purchase structure between categories).
    public var complements: [String]

    /// The twelve categories of the demo shop.
    public static let standard: [DemoShopCategory] = [
        DemoShopCategory(
            name: "Kitchen", share: 1.4, medianPrice: 14, priceSpread: 0.6,
            nouns: ["Chopping Board", "Mixing Bowl", "Knife Block", "Spice Rack", "Colander", "Tea Towel", "Measuring Jug",
                    "Utensil Pot", "Bread Bin", "Salad Spinner", "Rolling Pin", "Cake Tin", "Oven Glove", "Pepper Mill"],
            materials: ["Oak", "Bamboo", "Enamel", "Stainless Steel", "Stoneware", "Cast Iron", "Glass", "Linen"],
            uses: ["made for everyday cooking", "easy to clean", "dishwasher safe", "built to last for years"],
            complements: ["Tableware", "Storage"]
        ),
        DemoShopCategory(
            name: "Tableware", share: 1.2, medianPrice: 12, priceSpread: 0.5,
            nouns: ["Dinner Plate", "Side Plate", "Pasta Bowl", "Mug", "Teapot", "Serving Platter", "Water Jug", "Tumbler",
                    "Wine Glass", "Cake Stand", "Napkin Set", "Butter Dish"],
            materials: ["Porcelain", "Stoneware", "Glass", "Earthenware", "Bone China", "Speckled Ceramic", "Recycled Glass"],
            uses: ["sets a relaxed table", "stacks neatly", "microwave safe", "hand glazed"],
            complements: ["Kitchen", "Textiles"]
        ),
        DemoShopCategory(
            name: "Garden", share: 1.1, medianPrice: 18, priceSpread: 0.7,
            nouns: ["Plant Pot", "Watering Can", "Trowel", "Seed Tray", "Bird Feeder", "Kneeling Pad", "Pruning Shears",
                    "Hose Reel", "Planter", "Herb Kit", "Garden Gloves", "Compost Bin"],
            materials: ["Terracotta", "Galvanised Steel", "Recycled Plastic", "Zinc", "Ash Wood", "Rubber", "Willow"],
            uses: ["weatherproof", "for balconies and borders", "helps seedlings thrive", "frost resistant"],
            complements: ["Outdoor", "Pet Supplies"]
        ),
        DemoShopCategory(
            name: "Lighting", share: 0.9, medianPrice: 35, priceSpread: 0.7,
            nouns: ["Table Lamp", "Floor Lamp", "Pendant Shade", "String Lights", "Lantern", "Desk Lamp", "Wall Light",
                    "Candle Holder", "Night Light", "LED Bulb"],
            materials: ["Brass", "Rattan", "Opal Glass", "Linen", "Matt Black Metal", "Ceramic", "Paper"],
            uses: ["casts a warm glow", "dimmable", "energy saving", "easy to install"],
            complements: ["Home Decor"]
        ),
        DemoShopCategory(
            name: "Stationery", share: 1.0, medianPrice: 6, priceSpread: 0.6,
            nouns: ["Notebook", "Planner", "Fountain Pen", "Pencil Set", "Greeting Card", "Gift Wrap", "Desk Tidy",
                    "Sticky Notes", "Washi Tape", "Sketchbook", "Envelope Pack", "Bookmark"],
            materials: ["Recycled Paper", "Kraft", "Leather", "Cotton Paper", "Cork", "Tin", "Linen Bound"],
            uses: ["for lists and ideas", "lay-flat binding", "a thoughtful gift", "plastic free"],
            complements: ["Storage", "Toys & Games"]
        ),
        DemoShopCategory(
            name: "Home Decor", share: 1.2, medianPrice: 22, priceSpread: 0.7,
            nouns: ["Vase", "Photo Frame", "Wall Clock", "Mirror", "Cushion Cover", "Scented Candle", "Art Print",
                    "Bookends", "Trinket Dish", "Doorstop", "Plant Stand"],
            materials: ["Ceramic", "Brass", "Walnut", "Marble", "Velvet", "Jute", "Hammered Metal"],
            uses: ["adds character to any room", "hand finished", "a calm modern look", "made in small batches"],
            complements: ["Lighting", "Textiles"]
        ),
        DemoShopCategory(
            name: "Bath", share: 0.8, medianPrice: 10, priceSpread: 0.6,
            nouns: ["Bath Towel", "Hand Towel", "Soap Dish", "Bath Mat", "Toothbrush Holder", "Shower Caddy", "Wash Bag",
                    "Body Brush", "Soap Bar", "Bath Salts"],
            materials: ["Organic Cotton", "Waffle Cotton", "Bamboo", "Ceramic", "Teak", "Sisal", "Lavender"],
            uses: ["soft and absorbent", "quick drying", "spa at home", "gentle on skin"],
            complements: ["Textiles"]
        ),
        DemoShopCategory(
            name: "Toys & Games", share: 0.9, medianPrice: 15, priceSpread: 0.7,
            nouns: ["Puzzle", "Board Game", "Building Blocks", "Plush Bear", "Kite", "Card Game", "Wooden Train",
                    "Marble Run", "Skipping Rope", "Craft Kit", "Spinning Top"],
            materials: ["Beech Wood", "Organic Cotton", "Recycled Card", "Felt", "Tin", "Birch Plywood"],
            uses: ["for ages 3 and up", "hours of family fun", "encourages creativity", "a classic toy"],
            complements: ["Stationery"]
        ),
        DemoShopCategory(
            name: "Outdoor", share: 0.7, medianPrice: 40, priceSpread: 0.8,
            nouns: ["Picnic Blanket", "Cool Bag", "Camping Mug", "Folding Chair", "Hammock", "Fire Pit", "Parasol",
                    "Outdoor Cushion", "Water Bottle", "Deck Chair"],
            materials: ["Canvas", "Recycled Polyester", "Enamel", "Acacia", "Aluminium", "Waxed Cotton"],
            uses: ["packs down small", "for summer evenings", "water resistant", "light to carry"],
            complements: ["Garden"]
        ),
        DemoShopCategory(
            name: "Textiles", share: 1.0, medianPrice: 25, priceSpread: 0.6,
            nouns: ["Throw", "Duvet Cover", "Pillowcase Pair", "Table Runner", "Apron", "Tablecloth", "Blanket", "Rug",
                    "Curtain Panel", "Bedspread"],
            materials: ["Linen", "Wool", "Organic Cotton", "Chunky Knit", "Velvet", "Jute", "Muslin"],
            uses: ["washable at 40 degrees", "softens with every wash", "woven by hand", "cosy and warm"],
            complements: ["Home Decor", "Bath", "Tableware"]
        ),
        DemoShopCategory(
            name: "Storage", share: 0.9, medianPrice: 16, priceSpread: 0.6,
            nouns: ["Storage Basket", "Jar Set", "Shelf Unit", "Magazine Rack", "Shoe Rack", "Lunch Box", "Box File",
                    "Coat Hooks", "Drawer Organiser", "Laundry Basket"],
            materials: ["Seagrass", "Pine", "Glass", "Powder Coated Steel", "Recycled Plastic", "Cardboard", "Wicker"],
            uses: ["keeps clutter at bay", "stackable", "airtight seal", "fits most shelves"],
            complements: ["Kitchen", "Stationery"]
        ),
        DemoShopCategory(
            name: "Pet Supplies", share: 0.6, medianPrice: 13, priceSpread: 0.7,
            nouns: ["Dog Bed", "Cat Toy", "Food Bowl", "Lead", "Collar", "Treat Jar", "Scratching Post", "Grooming Brush",
                    "Pet Blanket", "Ball Launcher"],
            materials: ["Canvas", "Stoneware", "Rope", "Faux Sheepskin", "Leather", "Natural Rubber", "Sisal"],
            uses: ["loved by dogs and cats", "chew resistant", "machine washable", "vet approved"],
            complements: ["Garden"]
        ),
    ]
}
