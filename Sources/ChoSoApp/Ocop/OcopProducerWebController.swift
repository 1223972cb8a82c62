import ChoSoCore
import Fluent
import Vapor

/// `/ocop/register/producers/{id}`: the officer's form for a producer — kind, registration
/// number, contact, and the OCOP shop stall where buyers' transfers arrive.
struct OcopProducerWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", "register", "producers", ":id", use: page)
        routes.post("ocop", "register", "producers", ":id", use: save)
    }

    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool, disabled: Bool }
    struct ProductLink: Encodable, Sendable { var slug: String, name: String }
    struct ProducerContent: Encodable, Sendable {
        var id: String, name: String, place: String, form: FormState
        var kinds: [Option], shops: [Option], hasShops: Bool, products: [ProductLink]
    }

    struct Form: Content { var name: String?, kind: String?, registrationNumber: String?, address: String?, phone: String?, shop: String? }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, id: req.parameters.get("id") ?? "", form: nil)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let form = try req.content.decode(Form.self)
        let values = ["name": form.name ?? "", "kind": form.kind ?? "", "registrationNumber": form.registrationNumber ?? "",
                      "address": form.address ?? "", "phone": form.phone ?? "", "shop": form.shop ?? ""]
        let input = OcopProducerInput(name: values["name"]!, kind: values["kind"]!, registrationNumber: values["registrationNumber"]!,
                                      address: values["address"]!, phone: values["phone"]!)
        do {
            _ = try await req.ocopProducers.update(id, input, shopID: values["shop"]!)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await render(req, id: id, form: FormState(values: values, error: error, language: req.language))
        }
        req.flash(.init(vi: "Đã lưu thông tin chủ thể", en: "Producer saved"))
        return req.redirectAfterPost(to: "/ocop/register/producers/\(id)")
    }

    func render(_ req: Request, id: String, form: FormState?) async throws -> Response {
        let service = try req.ocopProducers
        let (producer, tree) = try await service.producer(id, for: .update)
        let language = req.language
        let values = form?.values ?? [
            "name": producer.name, "kind": producer.kind, "registrationNumber": producer.registrationNumber ?? "",
            "address": producer.address, "phone": producer.phone ?? "", "shop": producer.stallID?.uuidString ?? "",
        ]
        let shops = try await service.shops().map { shop in
            let id = shop.stall.id?.uuidString ?? ""
            let taken = shop.usedBy != nil && shop.usedBy != producer.id
            return Option(value: id, label: "\(shop.marketName) — \(shop.stall.number) · \(shop.stall.name)", selected: id == values["shop"], disabled: taken)
        }
        let producerID = try producer.requireID()
        let products = try await OcopProductModel.query(on: req.db).filter(\.$producerID == producerID).sort(\.$name).all()
            .map { ProductLink(slug: $0.slug, name: $0.name) }
        let content = ProducerContent(
            id: id, name: producer.name, place: req.ocopPages.place(producer, tree: tree), form: form ?? FormState(values: values),
            kinds: OcopProducerKind.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: $0.rawValue == values["kind"], disabled: false) },
            shops: shops, hasShops: !shops.isEmpty, products: products)
        return try await req.renderPage("ocop-producer", title: .init(vi: producer.name, en: producer.name), content,
                                        status: form?.hasErrors == true ? .unprocessableEntity : .ok)
    }
}

extension Request {
    var ocopProducers: OcopProducerService {
        get throws { OcopProducerService(database: db, user: try requireUser()) }
    }
}
