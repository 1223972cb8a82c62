import ChoSoCore
import Vapor

/// `/ocop/register`: the commune officer's OCOP register — reminders of lapsing certificates,
/// each product's completeness for sale, and its photos.
struct OcopRegisterWebController: RouteCollection {
    /// 10 MB of photo plus the form around it (`RequestSanityMiddleware` reads the body first).
    static let photoBody = 11 << 20
    static let annexBody = 4 << 20

    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", "register", use: page)
        routes.get("ocop", "register", ":slug", use: manage)
        routes.post("ocop", "register", ":slug", use: save)
        routes.on(.POST, "ocop", "register", ":slug", "photos", body: .collect(maxSize: ByteCount(value: Self.photoBody)), use: addPhoto)
        routes.post("ocop", "register", ":slug", "evidence", use: addEvidence)
        routes.on(.POST, "ocop", "register", "import", body: .collect(maxSize: ByteCount(value: Self.annexBody)), use: importAnnex)
    }

    struct ReminderRow: Encodable, Sendable { var slug: String, name: String, producer: String, validUntil: String }
    struct Bucket: Encodable, Sendable { var id: String, title: String, rows: [ReminderRow], hasRows: Bool }
    struct ProductRow: Encodable, Sendable {
        var slug: String, name: String, producer: String, producerId: String, place: String, stars: String, state: String, missing: String, complete: Bool
    }
    struct Shown: Encodable, Sendable { var title: String, lines: [String], isError: Bool }
    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }
    struct ShopLink: Encodable, Sendable { var id: String }
    struct OrderRow: Encodable, Sendable { var time: String, amount: String, sender: String, product: String, status: String }
    struct RegisterContent: Encodable, Sendable {
        var buckets: [Bucket], products: [ProductRow], hasProducts: Bool
        var shown: Shown?, form: [String: String], units: [Option], fieldErrors: [String: String]
        /// A producer's page: their shop's live screen and the orders paid by QR, no import.
        var isProducer: Bool, canImport: Bool, shops: [ShopLink], orders: [OrderRow], hasOrders: Bool
        /// The form for one product and its decision: the classification, the producers known, and
        /// whether it is open because it failed.
        var groups: [Option], producers: [String], addFailed: Bool
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req)
    }

    func render(_ req: Request, shown: Shown? = nil, form: [String: String] = [:], fieldErrors: [String: String] = [:],
                status: HTTPResponseStatus = .ok, addFailed: Bool = false) async throws -> Response {
        let register = try req.ocopRegister
        let reach = try await register.reach()
        let language = req.language
        let reminders = register.reminders(in: reach)
        let pages = req.ocopPages
        let buckets = OcopReminder.allCases.map { bucket in
            let rows = reminders.filter { $0.bucket == bucket }.map {
                ReminderRow(slug: $0.entry.product.slug, name: $0.entry.product.name, producer: $0.entry.producer.name, validUntil: $0.validUntil.vietnamese)
            }
            return Bucket(id: bucket.rawValue, title: bucket.label.text(in: language), rows: rows, hasRows: !rows.isEmpty)
        }
        let products = reach.entries.map { entry in
            let listing = entry.listing
            let validity = listing.certificate?.validity(on: register.today)
            let missing = listing.missingForSale.map { $0.label.text(in: language) }
            return ProductRow(
                slug: listing.slug, name: listing.name, producer: listing.producerName, producerId: entry.producer.id?.uuidString ?? "", place: pages.place(entry.producer, tree: reach.tree),
                stars: listing.certificate.map { "\($0.stars)★" } ?? "—",
                state: validity.map { $0.claimsStars ? "valid" : "expired" } ?? "none",
                missing: missing.joined(separator: ", "), complete: missing.isEmpty)
        }
        let units = register.communes(in: reach).map { Option(value: $0.id, label: $0.name, selected: $0.id == form["unit"]) }
        let timeZone = req.application.choSoConfig.timeZone
        let orders = try await register.orders(in: reach).map { order in
            OrderRow(time: String(BankTime.formatLocal(order.time, timeZone: timeZone).dropFirst(11).prefix(5)) + " " + Day(order.time, in: timeZone).vietnamese, amount: Money(dong: order.amount).formatted,
                     sender: order.sender, product: order.productName ?? "—",
                     status: IntakeWebController.statusLabel(order.status).text(in: language))
        }
        let isProducer = !register.editsRecognition
        let content = RegisterContent(buckets: buckets, products: products, hasProducts: !products.isEmpty,
                                      shown: shown, form: form, units: units, fieldErrors: fieldErrors,
                                      isProducer: isProducer, canImport: !units.isEmpty,
                                      shops: register.user.receivingStalls.sorted().map(ShopLink.init), orders: orders, hasOrders: !orders.isEmpty,
                                      groups: try await OcopCatalog(database: req.db).groups().map {
                                          Option(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.code == form["groupCode"])
                                      },
                                      producers: Array(Set(reach.entries.map(\.producer.name))).sorted(), addFailed: addFailed)
        let title = isProducer ? LocalizedText(vi: "Sản phẩm OCOP của tôi", en: "My OCOP products") : LocalizedText(vi: "Sổ sản phẩm OCOP", en: "OCOP register")
        return try await req.renderPage("ocop-register", title: title, content, status: status)
    }

    struct ImportForm: Content { var file: File?, number: String?, date: String?, issuer: String?, level: String?, unit: String?, action: String? }

    @Sendable func importAnnex(req: Request) async throws -> Response {
        let form = try req.content.decode(ImportForm.self)
        let language = req.language
        let values = ["number": form.number ?? "", "date": form.date ?? "", "issuer": form.issuer ?? "", "level": form.level ?? "", "unit": form.unit ?? ""]
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await render(req, shown: Shown(title: LocalizedText(vi: "Hãy chọn tệp phụ lục (XLSX)", en: "Choose the annex file (XLSX)").text(in: language),
                                                      lines: [], isError: true), form: values, status: .unprocessableEntity)
        }
        let service = try req.ocopImport
        let decision = OcopImportService.Decision(number: values["number"]!, date: values["date"]!, issuer: values["issuer"]!, level: values["level"]!, unitID: values["unit"]!)
        let bytes = Array(file.data.readableBytesView)
        do {
            let dryRun = form.action != "import"
            let report = dryRun ? try await service.preview(bytes, decision: decision) : try await service.importAnnex(bytes, decision: decision, dryRun: false)
            let title = dryRun
                ? LocalizedText(vi: "Xem trước \(file.filename): chưa lưu gì", en: "Preview of \(file.filename): nothing stored yet")
                : LocalizedText(vi: "Đã nhập \(file.filename)", en: "\(file.filename) imported")
            let summary = LocalizedText(
                vi: "\(report.rows) dòng · chủ thể mới: \(report.newProducers) · sản phẩm mới: \(report.newProducts) · đánh giá lại: \(report.renewed) · đã có: \(report.alreadyThere)",
                en: "\(report.rows) rows · new producers: \(report.newProducers) · new products: \(report.newProducts) · re-assessed: \(report.renewed) · already there: \(report.alreadyThere)")
            return try await render(req, shown: Shown(title: title.text(in: language), lines: [summary.text(in: language)] + report.lines.prefix(200),
                                                      isError: false), form: values)
        } catch let failure as OcopImportService.Failure {
            return try await render(req, shown: Shown(title: failure.message.text(in: language), lines: failure.rowErrors.map { $0.message.text(in: language) },
                                                      isError: true), form: values, status: .unprocessableEntity)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            let errors = Dictionary(error.fieldErrors.map { ($0.field, $0.message.text(in: language)) }, uniquingKeysWith: { a, _ in a })
            return try await render(req, shown: Shown(title: error.message.text(in: language), lines: Array(errors.values).sorted(), isError: true),
                                    form: values, fieldErrors: errors, status: .unprocessableEntity)
        }
    }

    struct ManageContent: Encodable, Sendable {
        var slug: String, name: String, producer: String, checkLine: String, validState: String
        var missing: [String], complete: Bool, photos: [String], hasPhotos: Bool, error: String?
        var form: FormState, groups: [Option], availability: [Option]
        /// The name and group are the decision's: officers edit them, a producer does not.
        var editsRecognition: Bool
        var evidence: [EvidenceRow], hasEvidence: Bool, evidenceKinds: [Option], evidenceError: String?
        /// Lapsing within 180 days (or lapsed): the producer is reminded to apply for re-assessment.
        var expiringSoon: Bool
        /// A re-recognition typed in here: the communes the officer may record it in.
        var units: [Option], groupCode: String, decisionError: String?
    }
    struct EvidenceRow: Encodable, Sendable { var kind: String, number: String, issuer: String, issuedOn: String }

    @Sendable func manage(req: Request) async throws -> Response {
        try await renderManage(req, slug: req.parameters.get("slug") ?? "", error: nil)
    }

    struct ProductForm: Content {
        var name: String?, description: String?, groupCode: String?, price: String?, availability: String?
        var netQuantity: String?, ingredients: String?, usage: String?, storage: String?, warnings: String?
        var shelfLife: String?, origin: String?, responsibleEntity: String?

        /// What was typed, to show again beside the errors.
        var values: [String: String] {
            ["name": name ?? "", "description": description ?? "", "groupCode": groupCode ?? "", "price": price ?? "",
             "availability": availability ?? "", "netQuantity": netQuantity ?? "", "ingredients": ingredients ?? "", "usage": usage ?? "",
             "storage": storage ?? "", "warnings": warnings ?? "", "shelfLife": shelfLife ?? "", "origin": origin ?? "",
             "responsibleEntity": responsibleEntity ?? ""]
        }
    }

    @Sendable func save(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        let form = try req.content.decode(ProductForm.self)
        let input = OcopProductInput(
            name: form.name ?? "", description: form.description ?? "", groupCode: form.groupCode ?? "", price: form.price ?? "",
            availability: form.availability ?? "",
            label: OcopLabel(netQuantity: form.netQuantity ?? "", ingredients: form.ingredients ?? "", usage: form.usage ?? "",
                             storage: form.storage ?? "", warnings: form.warnings ?? "", shelfLife: form.shelfLife ?? "",
                             origin: form.origin ?? "", responsibleEntity: form.responsibleEntity ?? ""))
        do {
            _ = try await req.ocopRegister.update(slug: slug, input)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await renderManage(req, slug: slug, error: nil, form: FormState(values: form.values, error: error, language: req.language))
        }
        req.flash(.init(vi: "Đã lưu thông tin sản phẩm", en: "Product saved"))
        return req.redirectAfterPost(to: "/ocop/register/\(slug)")
    }

    func renderManage(_ req: Request, slug: String, error: String?, form: FormState? = nil,
                      evidenceError: String? = nil, decisionError: String? = nil) async throws -> Response {
        let register = try req.ocopRegister
        let entry = try await register.entry(slug: slug, for: .read)
        let reach = OcopRegisterService.Reach(tree: try await UnitService(database: req.db).tree(), entries: [entry])
        let evidence = try await register.evidence(of: entry).map {
            EvidenceRow(kind: OcopEvidenceKind(rawValue: $0.kind)?.label.text(in: req.language) ?? $0.kind, number: $0.number,
                        issuer: $0.issuer, issuedOn: Day(iso: $0.issuedOn)?.vietnamese ?? $0.issuedOn)
        }
        let listing = entry.listing
        let language = req.language
        let photos = try await register.photos(of: entry).map { "/ocop/photos/\($0.uuidString.lowercased())-small.jpg" }
        let content = ManageContent(
            slug: listing.slug, name: listing.name, producer: listing.producerName,
            checkLine: listing.certificate?.checkLine(on: register.today).text(in: language) ?? "—",
            validState: listing.certificate.map { $0.validity(on: register.today).claimsStars ? "valid" : "expired" } ?? "none",
            missing: listing.missingForSale.map { $0.label.text(in: language) }, complete: listing.missingForSale.isEmpty,
            photos: photos, hasPhotos: !photos.isEmpty, error: error,
            form: form ?? FormState(values: Self.values(of: entry.product)),
            groups: try await OcopCatalog(database: req.db).groups().map {
                Option(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.code == (form?.values["groupCode"] ?? entry.product.groupCode))
            },
            availability: OcopAvailability.allCases.map {
                Option(value: $0.rawValue, label: $0.label.text(in: language), selected: $0.rawValue == (form?.values["availability"] ?? entry.product.availability))
            },
            editsRecognition: register.editsRecognition,
            evidence: evidence, hasEvidence: !evidence.isEmpty,
            evidenceKinds: OcopEvidenceKind.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: false) },
            evidenceError: evidenceError,
            expiringSoon: listing.certificate?.validity(on: register.today).reminder != nil,
            units: register.communes(in: reach).map { Option(value: $0.id, label: $0.name, selected: reach.tree.lineage(of: entry.producer.unitID).contains($0.id)) },
            groupCode: entry.product.groupCode, decisionError: decisionError)
        let failed = error != nil || form?.hasErrors == true || evidenceError != nil || decisionError != nil
        return try await req.renderPage("ocop-manage", title: .init(vi: listing.name, en: listing.name), content,
                                        status: failed ? .unprocessableEntity : .ok)
    }

    static func values(of product: OcopProductModel) -> [String: String] {
        ["name": product.name, "description": product.description, "price": product.price.map { Money(dong: $0).formatted } ?? "",
         "netQuantity": product.netQuantity, "ingredients": product.ingredients, "usage": product.usage, "storage": product.storage,
         "warnings": product.warnings, "shelfLife": product.shelfLife, "origin": product.origin, "responsibleEntity": product.responsibleEntity]
    }

    struct EvidenceForm: Content { var kind: String?, number: String?, issuer: String?, issuedOn: String? }

    @Sendable func addEvidence(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        let form = try req.content.decode(EvidenceForm.self)
        let input = OcopEvidenceInput(kind: form.kind ?? "", number: form.number ?? "", issuer: form.issuer ?? "", issuedOn: form.issuedOn ?? "")
        do {
            _ = try await req.ocopRegister.addEvidence(slug: slug, input)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await renderManage(req, slug: slug, error: nil,
                                          evidenceError: error.fieldErrors.map { $0.message.text(in: req.language) }.joined(separator: " · "))
        }
        req.flash(.init(vi: "Đã thêm giấy tờ", en: "Paper added"))
        return req.redirectAfterPost(to: "/ocop/register/\(slug)")
    }

    struct PhotoForm: Content { var photo: File? }

    @Sendable func addPhoto(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        let register = try req.ocopRegister
        _ = try await register.entry(slug: slug, for: .update)
        guard let file = (try? req.content.decode(PhotoForm.self))?.photo, file.data.readableBytes > 0 else {
            return try await renderManage(req, slug: slug, error: LocalizedText(vi: "Hãy chọn một ảnh (JPEG, PNG hoặc WebP, tối đa 10 MB)",
                                                                              en: "Choose a photo (JPEG, PNG or WebP, up to 10 MB)").text(in: req.language))
        }
        do {
            _ = try await register.addPhoto(slug: slug, bytes: Data(file.data.readableBytesView), fileName: file.filename)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderManage(req, slug: slug, error: error.message.text(in: req.language))
        }
        req.flash(.init(vi: "Đã thêm ảnh \(file.filename)", en: "Photo \(file.filename) added"))
        return req.redirectAfterPost(to: "/ocop/register/\(slug)")
    }
}

extension Request {
    var ocopImport: OcopImportService {
        get throws { OcopImportService(database: db, user: try requireUser(), today: Day(Date(), in: application.choSoConfig.timeZone)) }
    }

    var ocopRegister: OcopRegisterService {
        get throws {
            OcopRegisterService(database: db, user: try requireUser(), today: Day(Date(), in: application.choSoConfig.timeZone), photos: ocopPhotos)
        }
    }
}
