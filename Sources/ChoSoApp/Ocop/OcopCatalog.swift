import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// One product of the register with its producer and its chain of decisions (oldest first; the
/// last is the one in force).
struct OcopEntry: Sendable {
    var product: OcopProductModel
    var producer: OcopProducerModel
    var decisions: [OcopCertificateModel]

    var current: OcopCertificateModel? { decisions.last }

    var listing: OcopListing {
        OcopListing(
            slug: product.slug, name: product.name, description: product.description, producerName: producer.name,
            groupCode: product.groupCode, priceDong: product.price,
            availability: OcopAvailability(rawValue: product.availability) ?? .outOfStock, label: product.label,
            certificate: current?.certificate, imagePath: product.imagePath, isDemo: product.isDemo)
    }
}

/// Reading the register: the public list and pages, the feeds and the officer's reminders.
struct OcopCatalog {
    var database: any Database

    struct Filter: Sendable {
        var stars: Int?
        var group: String?
        /// Products of producers attached to this unit, below it, or to a unit merged into it.
        var unitID: String?
        /// Stars are asked of certificates valid on this day: an expired product claims none.
        var today: Day


        /// `tree` is needed only when filtering by unit.
        func admits(_ entry: OcopEntry, tree: UnitTree?) -> Bool {
            if let stars, entry.listing.claimableCertificate(on: today)?.stars != stars { return false }
            if let group, entry.product.groupCode != group, !entry.product.groupCode.hasPrefix(group + ".") { return false }
            if let unitID, let tree, !tree.lineage(of: entry.producer.unitID).contains(unitID) { return false }
            return true
        }
    }

    func entries(_ filter: Filter) async throws -> [OcopEntry] {
        let everything = try await entries()
        guard filter.stars != nil || filter.group != nil || filter.unitID != nil else { return everything }
        let tree = filter.unitID == nil ? nil : try await UnitService(database: database).tree()
        return everything.filter { filter.admits($0, tree: tree) }
    }

    /// Every product of the register with its producer and decisions, in slug order.
    func entries() async throws -> [OcopEntry] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let products = try await OcopBulkRead.products(on: sql)
        let producers = Dictionary(try await OcopBulkRead.producers(on: sql).map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let decisions = Dictionary(grouping: try await OcopBulkRead.certificates(on: sql), by: \.productID)
        return products.compactMap { product -> OcopEntry? in
            guard let id = product.id, let producer = producers[product.producerID] else { return nil }
            let chain = (decisions[id] ?? []).sorted { ($0.decisionDate, $0.decisionNumber) < ($1.decisionDate, $1.decisionNumber) }
            return OcopEntry(product: product, producer: producer, decisions: chain)
        }
    }

    func entry(slug: String) async throws -> OcopEntry? {
        guard OcopSlug.isWellFormed(slug), let product = try await OcopProductModel.query(on: database).filter(\.$slug == slug).first(),
              let id = product.id, let producer = try await OcopProducerModel.find(product.producerID, on: database) else { return nil }
        let chain = try await OcopCertificateModel.query(on: database).filter(\.$productID == id).all()
            .sorted { ($0.decisionDate, $0.decisionNumber) < ($1.decisionDate, $1.decisionNumber) }
        return OcopEntry(product: product, producer: producer, decisions: chain)
    }

    struct Reminder: Sendable {
        var bucket: OcopReminder
        var entry: OcopEntry
        var validUntil: Day
    }

    /// Products whose certificate in force has lapsed or lapses within `days`, soonest first.
    func reminders(today: Day, within days: Int = 180) async throws -> [Reminder] {
        Self.reminders(of: try await entries(), today: today, within: days)
    }

    static func reminders(of entries: [OcopEntry], today: Day, within days: Int) -> [Reminder] {
        entries.compactMap { entry -> Reminder? in
            guard let certificate = entry.current?.certificate, let bucket = certificate.validity(on: today).reminder,
                  today.daysUntil(certificate.validUntil) <= days else { return nil }
            return Reminder(bucket: bucket, entry: entry, validUntil: certificate.validUntil)
        }
        .sorted { ($0.validUntil, $0.entry.product.slug) < ($1.validUntil, $1.entry.product.slug) }
    }

    func groups() async throws -> [OcopGroup] {
        try await OcopGroupModel.query(on: database).sort(\.$id).all().map { OcopGroup(code: $0.id ?? "", name: $0.name) }
    }
}
