import ChoSoCore
import Fluent
import Foundation
import VietQR

/// What the public OCOP pages show, ready for the templates: every claim decided by the
/// certificate's validity on `today`, never by what was typed.
struct OcopPages {
    var database: any Database
    var today: Day
    var language: Language
    var baseURL: String

    struct Row: Encodable, Sendable {
        var slug: String, name: String, producer: String, place: String, price: String?
        var stars: String?, validUntil: String?, expired: Bool, noCertificate: Bool, isDemo: Bool
    }

    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }

    struct ListContent: Encodable, Sendable {
        var rows: [Row], hasRows: Bool, stars: [Option], groups: [Option], units: [Option], count: Int
        /// "?stars=4&page=3" for the pages before and after, nil at either end.
        var previous: String?, next: String?, pageLabel: String?
    }

    /// Rows per page of the public list: light on weak 4G whatever the province's size.
    static let pageSize = 50

    func list(stars: Int?, group: String?, unit: String?, page: Int) async throws -> ListContent {
        let catalog = OcopCatalog(database: database)
        let tree = try await UnitService(database: database).tree()
        let everything = try await catalog.entries()
        let filter = OcopCatalog.Filter(stars: stars, group: group, unitID: unit, today: today)
        let chosen = everything.filter { filter.admits($0, tree: tree) }
        let communes = Set(Set(everything.map(\.producer.unitID)).flatMap { tree.current($0, on: today).map(\.id) })
        let pages = max(1, (chosen.count + Self.pageSize - 1) / Self.pageSize), page = min(max(page, 1), pages)
        let shown = chosen.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize)
        func link(_ number: Int) -> String {
            var items = [URLQueryItem]()
            if let stars { items.append(.init(name: "stars", value: String(stars))) }
            if let group { items.append(.init(name: "group", value: group)) }
            if let unit { items.append(.init(name: "unit", value: unit)) }
            items.append(.init(name: "page", value: String(number)))
            var components = URLComponents()
            components.queryItems = items
            return components.url?.absoluteString ?? "?page=\(number)"
        }
        return ListContent(
            rows: shown.map { row($0, tree: tree) }, hasRows: !shown.isEmpty,
            stars: (3...5).map { Option(value: String($0), label: "\($0)★", selected: $0 == stars) },
            groups: try await catalog.groups().filter { !$0.code.contains(".") || $0.code.filter { $0 == "." }.count == 1 }
                .map { Option(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.code == group) },
            units: communes.compactMap { tree.units[$0] }.sorted { $0.name < $1.name }
                .map { Option(value: $0.id, label: $0.name, selected: $0.id == unit) },
            count: chosen.count, previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil,
            pageLabel: pages > 1 ? (language == .vi ? "Trang \(page)/\(pages) · \(chosen.count) sản phẩm" : "Page \(page) of \(pages) · \(chosen.count) products") : nil)
    }

    func row(_ entry: OcopEntry, tree: UnitTree) -> Row {
        let listing = entry.listing
        let validity = listing.certificate?.validity(on: today)
        let claim = listing.claimableCertificate(on: today)
        return Row(
            slug: listing.slug, name: OcopWording.bareName(listing.name), producer: listing.producerName,
            place: place(entry.producer, tree: tree), price: listing.priceDong.map { Money(dong: $0).formatted },
            stars: claim.map { String(repeating: "★", count: $0.stars) }, validUntil: claim?.validUntil.vietnamese,
            expired: validity.map { !$0.claimsStars } ?? false, noCertificate: validity == nil, isDemo: listing.isDemo)
    }

    /// The unit the producer was registered in and, when it has since been merged, today's.
    func place(_ producer: OcopProducerModel, tree: UnitTree) -> String {
        let recorded = tree.units[producer.unitID]?.name ?? producer.unitID
        let now = tree.current(producer.unitID, on: today).map(\.name).filter { $0 != recorded }
        guard !now.isEmpty else { return recorded }
        return language == .vi ? "\(recorded) (nay \(now.joined(separator: ", ")))" : "\(recorded) (now \(now.joined(separator: ", ")))"
    }

    struct Decision: Encodable, Sendable { var text: String, renews: String? }

    struct ProductContent: Encodable, Sendable {
        var row: Row, description: String, group: String, address: String, availability: String
        var checkLine: String, validState: String, expiringSoon: Bool
        var facts: [Fact], decisions: [Decision], jsonLD: String, imagePath: String?
        var buy: Buy?
        /// The supporting papers (food safety, quality declaration, trademark), one line each.
        var papers: [String] = [], hasPapers = false
    }

    /// Buying straight from the producer: a VietQR for the price to the account of the
    /// producer's shop. The note names the product; the page writes nothing to the database.
    struct Buy: Encodable, Sendable { var qrUrl: String, bank: String, accountNumber: String, holder: String, amount: String, note: String }

    struct Purchase: Sendable { var payload: String, view: Buy }

    func purchase(_ entry: OcopEntry) async throws -> Purchase? {
        guard let stallID = entry.producer.stallID, let price = entry.product.price, price > 0,
              entry.product.availability != OcopAvailability.outOfStock.rawValue,
              let account = try await ReceivingAccountModel.query(on: database).filter(\.$stall.$id == stallID)
                .filter(\.$activeKind != nil).sort(\.$createdAt).first() else { return nil }
        // What the bank app will carry (25 safe characters), shown as is: "Mua Kho ca keo Dai An".
        let note = TransferContent.sanitize("Mua " + entry.product.name)
        let payload = try VietQRBuilder.build(VietQRRequest(
            bin: account.bin, account: account.accountNumber, amount: price, purpose: note, merchantName: account.holderName))
        return Purchase(payload: payload, view: Buy(
            qrUrl: "/ocop/\(entry.product.slug)/pay.png", bank: BankDirectory.bundled.bank(bin: account.bin)?.shortName ?? account.bin,
            accountNumber: account.accountNumber, holder: account.holderName, amount: Money(dong: price).formatted, note: note))
    }

    struct Fact: Encodable, Sendable { var key: String, value: String }

    func product(slug: String) async throws -> ProductContent? {
        guard let entry = try await OcopCatalog(database: database).entry(slug: slug) else { return nil }
        let tree = try await UnitService(database: database).tree()
        let listing = entry.listing
        let label = listing.publishableLabel(on: today)
        let groups = try await OcopCatalog(database: database).groups()
        let validity = listing.certificate?.validity(on: today)
        var facts: [Fact] = []
        for (key, value) in [("ocopNetQuantity", label.netQuantity), ("ocopIngredients", label.ingredients), ("ocopUsage", label.usage),
                             ("ocopStorage", label.storage), ("ocopWarnings", label.warnings), ("ocopShelfLife", label.shelfLife),
                             ("ocopOrigin", label.origin), ("ocopResponsible", label.responsibleEntity)] where !value.isEmpty {
            facts.append(Fact(key: UIStrings.all[key]?.text(in: language) ?? key, value: value))
        }
        let numbers = Dictionary(entry.decisions.map { ($0.id, $0.decisionNumber) }, uniquingKeysWith: { a, _ in a })
        let papers = try await papers(entry)
        return ProductContent(
            row: row(entry, tree: tree), description: listing.publishableDescription(on: today),
            group: groups.first { $0.code == listing.groupCode }.map { "\($0.code) — \($0.name)" } ?? listing.groupCode,
            address: entry.producer.address, availability: listing.availability.label.text(in: language),
            checkLine: listing.certificate?.checkLine(on: today).text(in: language) ?? (UIStrings.all["ocopNoCertificate"]?.text(in: language) ?? ""),
            validState: validity == nil ? "none" : validity!.claimsStars ? "valid" : "expired",
            expiringSoon: validity?.reminder.map { $0 != .expired && $0 != .within180 } ?? false,
            facts: facts,
            decisions: entry.decisions.reversed().compactMap { model in
                // Only the decision in force says whether the product is valid; the ones it
                // replaced say so.
                let replacedBy = entry.decisions.first { $0.renewsID == model.id }?.certificate
                return model.certificate.map { certificate in
                    let line = replacedBy.map { certificate.replacedLine(by: $0) } ?? certificate.checkLine(on: today)
                    return Decision(text: line.text(in: language), renews: model.renewsID.flatMap { numbers[$0] })
                }
            },
            jsonLD: OcopStructuredData.jsonLD(listing, baseURL: baseURL, today: today), imagePath: listing.imagePath,
            buy: try await purchase(entry)?.view,
            papers: papers, hasPapers: !papers.isEmpty)
    }

    private func papers(_ entry: OcopEntry) async throws -> [String] {
        try await OcopEvidenceModel.query(on: database).filter(\.$productID == entry.product.requireID()).sort(\.$issuedOn).all().map {
            let kind = OcopEvidenceKind(rawValue: $0.kind)?.label.text(in: language) ?? $0.kind
            return "\(kind): \($0.number) — \($0.issuer), \(Day(iso: $0.issuedOn)?.vietnamese ?? $0.issuedOn)"
        }
    }
}
