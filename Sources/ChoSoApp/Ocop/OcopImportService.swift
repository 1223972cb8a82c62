import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import SQLKit

/// Importing a provincial recognition decision's annex (XLSX): a preview first, then all rows in
/// one transaction. A row's producer and product are found by name or made; the decision is added
/// to the product (renewing the one in force). The same annex imported twice adds nothing.
struct OcopImportService {
    var database: any Database
    var user: CurrentUser
    var today: Day

    struct Decision: Sendable {
        var number: String, date: String, issuer: String, level: String, unitID: String
    }

    struct Report: Sendable {
        var rows: Int, newProducers: Int, newProducts: Int, renewed: Int, alreadyThere: Int
        var lines: [String]
        /// The products the rows name, in row order.
        var slugs: [String] = []
    }

    struct Failure: Error {
        var message: LocalizedText
        var rowErrors: [Statement.RowError]
    }

    func importAnnex(_ bytes: [UInt8], decision input: Decision, dryRun: Bool) async throws -> Report {
        let decision = try await validate(input)
        let table: [[String]]
        do { table = try XLSX.firstSheet(bytes, limits: .init(cells: 200_000, rows: 20_000, sharedStrings: 200_000)) } catch {
            let message = if case .tooLarge(let what) = error {
                LocalizedText(vi: "Tệp quá lớn để là phụ lục một quyết định: hãy tách thành nhiều tệp",
                              en: "The file is too large for a decision's annex (\(what)): split it into several files")
            } else { StatementImportService.describe(error) }
            throw Failure(message: message, rowErrors: [])
        }
        let groups = try await OcopCatalog(database: database).groups()
        let rows: [OcopAnnex.Row]
        switch OcopAnnex.read(table, groups: groups) {
        case .success(let read): rows = read
        case .failure(.noHeader(let message)): throw Failure(message: message, rowErrors: [])
        case .failure(.rows(let errors)):
            throw Failure(message: LocalizedText(vi: "\(errors.count) dòng có lỗi: không nhập dòng nào", en: "\(errors.count) rows have errors: nothing was imported"),
                          rowErrors: errors)
        }
        return try await record(rows, decision: decision, dryRun: dryRun)
    }

    /// One product and its decision typed into the officer's form: the same checks and the same
    /// work as a one-row annex (a known producer and product are found by name, a re-recognition
    /// renews the decision in force, the same decision twice adds nothing).
    struct Entry: Sendable { var name: String, producer: String, address: String, groupCode: String, stars: String }

    /// `renewing`: the slug of the product whose page the form was sent from; its own name,
    /// producer and group are used, whatever the form carried.
    func add(_ entry: Entry, decision input: Decision, renewing slug: String? = nil) async throws -> Report {
        var entry = entry
        if let slug, !slug.isEmpty {
            guard let product = try await OcopCatalog(database: database).entry(slug: slug) else { throw AppError.notFound }
            let tree = try await UnitService(database: database).tree()
            let decision = AccessPolicy.decide(user.principal, .create, OcopRegisterService.resource(product.producer, tree: tree))
            guard decision.isAllowed else { throw AppError.denied(decision) }
            entry.name = product.product.name
            entry.producer = product.producer.name
            entry.groupCode = product.product.groupCode
        }
        let groups = try await OcopCatalog(database: database).groups()
        let row = OcopAnnex.row(line: 1, name: entry.name, producer: entry.producer, address: entry.address,
                                group: entry.groupCode, stars: entry.stars, groups: groups)
        let decision: (number: String, date: Day, issuer: String, level: String, unitID: String)
        do { decision = try await validate(input) } catch let error as AppError {
            throw AppError.invalid(ValidationFailure(errors: error.fieldErrors + row.errors))
        }
        do {
            return try await record([try row.valueOrInvalid()], decision: decision, dryRun: false)
        } catch let failure as Failure {
            // A form has one row: its refusal is said without the row number.
            throw AppError.invalid(ValidationFailure(errors: failure.rowErrors.map { error in
                FieldError(field: "name", code: "refused", message: LocalizedText(
                    vi: String(error.message.vi.drop { $0 != ":" }.dropFirst(2)), en: String(error.message.en.drop { $0 != ":" }.dropFirst(2))))
            }))
        }
    }

    private func record(_ rows: [OcopAnnex.Row], decision: (number: String, date: Day, issuer: String, level: String, unitID: String),
                        dryRun: Bool) async throws -> Report {
        let tree = try await UnitService(database: database).tree()
        let principal = user.principal
        // A row may name a producer already in the register only if it is in this user's communes.
        let keeps: @Sendable (OcopProducerModel) -> Bool = { producer in
            AccessPolicy.permits(principal, .create, OcopRegisterService.resource(producer, tree: tree))
        }
        return try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                try await Self.holdRegister(db)
                let report = try await Self.apply(rows, decision: decision, keeps: keeps, on: db)
                // A preview runs the same work and rolls it back, so it counts exactly what an import would do.
                if dryRun { throw Preview(report: report) }
                return report
            }
        }
    }

    struct Preview: Error { var report: Report }

    /// Producers and products are found by name before they are made, so two imports of the same
    /// annex at once must not both find nothing: on PostgreSQL (where transactions run side by
    /// side) they take turns on a transaction-scoped lock; SQLite's writers take turns already.
    private static func holdRegister(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext('choso.ocop.register'))").run()
    }

    func preview(_ bytes: [UInt8], decision: Decision) async throws -> Report {
        do { return try await importAnnex(bytes, decision: decision, dryRun: true) } catch let preview as Preview { return preview.report }
    }

    private func validate(_ input: Decision) async throws -> (number: String, date: Day, issuer: String, level: String, unitID: String) {
        // Recognition is the officers' (and administrators'): for anyone else there is nothing here.
        guard [.officer, .admin].contains(user.role) else { throw AppError.notFound }
        var errors: [FieldError] = []
        let number = TextNormalization.clean(input.number), issuer = TextNormalization.clean(input.issuer)
        if number.isEmpty || number.count > 60 {
            errors.append(FieldError(field: "number", code: "required", message: .init(vi: "Ghi số quyết định (tối đa 60 ký tự)", en: "Enter the decision number (60 characters at most)")))
        }
        if issuer.isEmpty || issuer.count > 120 {
            errors.append(FieldError(field: "issuer", code: "required", message: .init(vi: "Ghi cơ quan ra quyết định", en: "Enter who issued the decision")))
        }
        let date = Day(iso: input.date.trimmingCharacters(in: .whitespaces))
        if date == nil || date! > today {
            errors.append(FieldError(field: "date", code: "bad_date", message: .init(vi: "Ngày quyết định theo dạng năm-tháng-ngày, không sau hôm nay", en: "The decision date is year-month-day, not after today")))
        }
        let level = input.level.isEmpty ? "province" : input.level
        if !["province", "central"].contains(level) {
            errors.append(FieldError(field: "level", code: "bad_level", message: .init(
                vi: "Cấp công nhận là cấp tỉnh (3, 4 sao) hoặc trung ương (5 sao)", en: "The level is province (3 or 4 stars) or central (5 stars)")))
        }
        let tree = try await UnitService(database: database).tree()
        let unit = tree.units[input.unitID]
        if unit == nil || ![.commune, .ward, .township].contains(unit!.type) || !unit!.isValid(on: today)
            || !AccessPolicy.permits(user.principal, .create, OcopRegisterService.newProduct(in: input.unitID, tree: tree)) {
            errors.append(FieldError(field: "unit", code: "bad_unit", message: .init(vi: "Chọn một xã, phường trong phạm vi của bạn", en: "Choose a commune within your scope")))
        }
        guard errors.isEmpty, let date else { throw AppError.invalid(ValidationFailure(errors: errors)) }
        return (number, date, issuer, level, input.unitID)
    }

    private static func apply(_ rows: [OcopAnnex.Row], decision: (number: String, date: Day, issuer: String, level: String, unitID: String),
                              keeps: (OcopProducerModel) -> Bool, on db: any Database) async throws -> Report {
        var rowErrors: [Statement.RowError] = []
        func refuse(_ row: OcopAnnex.Row, _ vi: String, _ en: String) {
            rowErrors.append(Statement.RowError(line: row.line, message: LocalizedText(vi: "Dòng \(row.line): " + vi, en: "Row \(row.line): " + en)))
        }
        var producers = Dictionary(try await OcopProducerModel.query(on: db).all().map { (OcopAnnex.matchKey($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        let products = try await OcopProductModel.query(on: db).all()
        var productsByKey = Dictionary(products.map { ("\($0.producerID)|\(OcopAnnex.matchKey($0.name))", $0) }, uniquingKeysWith: { a, _ in a })
        var slugs = Set(products.map(\.slug))
        // Every decision chain read once (one query per row made a 5,000-row preview take 11 s).
        var chains = Dictionary(grouping: try await OcopCertificateModel.query(on: db).all(), by: \.productID)
        var report = Report(rows: rows.count, newProducers: 0, newProducts: 0, renewed: 0, alreadyThere: 0, lines: [])
        for row in rows {
            // Stars and levels (QĐ 148/QĐ-TTg): the province recognises 3 and 4 stars, the centre 5.
            if (row.stars == 5) != (decision.level == "central") {
                refuse(row, "\(row.stars) sao không do cấp \(decision.level == "central" ? "trung ương" : "tỉnh") công nhận (tỉnh: 3, 4 sao; trung ương: 5 sao)",
                       "\(row.stars) stars are not recognised at \(decision.level) level (province: 3 or 4; central: 5)")
                continue
            }
            let producer: OcopProducerModel
            if let known = producers[OcopAnnex.matchKey(row.producer)] {
                guard keeps(known) else {
                    refuse(row, "chủ thể \"\(known.name)\" đã có trong sổ của xã khác, ngoài phạm vi của bạn",
                           "the producer \"\(known.name)\" is in another commune's register, outside your scope")
                    continue
                }
                producer = known
            } else {
                producer = OcopProducerModel()
                producer.name = row.producer
                producer.kind = OcopAnnex.producerKind(for: row.producer)
                producer.unitID = decision.unitID
                producer.address = row.address
                producer.isDemo = false
                try await producer.create(on: db)
                producers[OcopAnnex.matchKey(row.producer)] = producer
                report.newProducers += 1
            }
            let key = "\(try producer.requireID())|\(OcopAnnex.matchKey(row.name))"
            let product: OcopProductModel
            if let known = productsByKey[key] {
                product = known
            } else {
                product = OcopProductModel.blank(name: row.name, producerID: try producer.requireID(), groupCode: row.groupCode)
                product.slug = OcopSlug.make(row.name, taken: slugs.contains)
                try await product.create(on: db)
                slugs.insert(product.slug)
                productsByKey[key] = product
                report.newProducts += 1
            }
            report.slugs.append(product.slug)
            let chain = chains[try product.requireID()] ?? []
            if chain.contains(where: { $0.decisionNumber == decision.number }) {
                report.alreadyThere += 1
                report.lines.append("= \(row.line): \(row.name) — \(row.producer)")
                continue
            }
            let current = chain.max { ($0.decisionDate, $0.decisionNumber) < ($1.decisionDate, $1.decisionNumber) }
            if let current, current.decisionDate >= decision.date.iso {
                refuse(row, "quyết định mới phải sau quyết định đang có (\(current.decisionNumber) ngày \(Day(iso: current.decisionDate)?.vietnamese ?? current.decisionDate))",
                       "a new decision must come after the one in force (\(current.decisionNumber) of \(current.decisionDate))")
                continue
            }
            let certificate = OcopCertificateModel()
            certificate.productID = try product.requireID()
            certificate.stars = row.stars
            certificate.level = decision.level
            certificate.issuer = decision.issuer
            certificate.decisionNumber = decision.number
            certificate.decisionDate = decision.date.iso
            certificate.validUntil = OcopCertificate.validUntil(decidedOn: decision.date).iso
            certificate.renewsID = current?.id
            certificate.isDemo = false
            try await certificate.create(on: db)
            chains[certificate.productID, default: []].append(certificate)
            if current != nil { report.renewed += 1 }
            report.lines.append("+ \(row.line): \(row.name) — \(row.producer) — \(row.stars)★")
        }
        if !rowErrors.isEmpty {
            throw Failure(message: LocalizedText(vi: "\(rowErrors.count) dòng có lỗi: không nhập dòng nào", en: "\(rowErrors.count) rows have errors: nothing was imported"),
                          rowErrors: rowErrors)
        }
        return report
    }
}

extension OcopProductModel {
    /// A product known only by its name, producer and group: the label facts wait for the officer
    /// (the completeness check lists them, and the product stays out of the feeds until then).
    static func blank(name: String, producerID: UUID, groupCode: String) -> OcopProductModel {
        let product = OcopProductModel()
        product.name = name
        product.producerID = producerID
        product.groupCode = groupCode
        product.description = ""
        product.availability = OcopAvailability.inStock.rawValue
        product.set(label: OcopLabel())
        product.isDemo = false
        return product
    }
}
