import ChoSoCore
import QRImage
import Vapor

/// The public OCOP pages (issue 16): the list, each product's page with its JSON-LD, the check
/// page the packaging QR opens, and the listing feeds. No sign-in: buyers and marketplaces read them.
struct OcopPublicWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", use: list)
        routes.get("ocop", "feeds", ":file", use: feed)
        routes.get("ocop", "photos", ":file", use: photo)
        routes.get("ocop", ":slug", use: product)
        routes.rateLimited(.productChecks).get("ocop", ":slug", "kiem-tra", use: check)
        routes.get("ocop", ":slug", "qr.png", use: packagingQR)
        routes.get("ocop", ":slug", "pay.png", use: paymentQR)
    }

    struct Query: Content { var stars: String?, group: String?, unit: String?, page: String? }

    @Sendable func list(req: Request) async throws -> Response {
        let query = (try? req.query.decode(Query.self)) ?? Query()
        let content = try await req.ocopPages.list(
            stars: query.stars.flatMap { Int($0) }.flatMap { (1...5).contains($0) ? $0 : nil },
            group: query.group.flatMap { $0.isEmpty || $0.count > 12 ? nil : $0 }, unit: query.unit.flatMap { $0.isEmpty || $0.count > 40 ? nil : $0 },
            page: query.page.flatMap { Int($0.prefix(6)) } ?? 1)
        return try await req.renderPage("ocop-list", title: .init(vi: "Sản phẩm OCOP", en: "OCOP products"), content)
    }

    @Sendable func product(req: Request) async throws -> Response {
        guard let content = try await req.ocopPages.product(slug: req.parameters.get("slug") ?? "") else { return try await notFound(req) }
        return try await req.renderPage("ocop-product", title: .init(vi: content.row.name, en: content.row.name), content)
    }

    @Sendable func check(req: Request) async throws -> Response {
        guard let content = try await req.ocopPages.product(slug: req.parameters.get("slug") ?? "") else { return try await notFound(req) }
        return try await req.renderPage("ocop-check", title: .init(vi: "Kiểm tra chứng nhận OCOP", en: "OCOP certificate check"), content)
    }

    /// The QR printed on the packaging: the check page's address, so it stays right whatever
    /// happens to the certificate later.
    @Sendable func packagingQR(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        guard try await OcopCatalog(database: req.db).entry(slug: slug) != nil,
              case let link = "\(req.application.choSoConfig.publicURL)/ocop/\(slug)/kiem-tra", let symbol = QRSymbol(link) else { throw AppError.notFound }
        return FeeStallWebController.png(symbol, payload: link, cache: "public, max-age=86400", req: req)
    }

    /// The VietQR to buy the product at its price (changes with the price or the account: an ETag).
    @Sendable func paymentQR(req: Request) async throws -> Response {
        guard let entry = try await OcopCatalog(database: req.db).entry(slug: req.parameters.get("slug") ?? ""),
              let purchase = try await req.ocopPages.purchase(entry), let symbol = QRSymbol(purchase.payload) else { throw AppError.notFound }
        return FeeStallWebController.png(symbol, payload: purchase.payload, cache: "public, no-cache", req: req)
    }

    @Sendable func feed(req: Request) async throws -> Response {
        guard let kind = OcopFeedService.Kind(rawValue: req.parameters.get("file") ?? "") else { throw AppError.notFound }
        let file = try await req.ocopFeeds.file(kind)
        var headers: HTTPHeaders = ["ETag": file.etag, "Cache-Control": "public, max-age=300"]
        headers.lastModified = HTTPHeaders.LastModified(file.lastModified)
        if req.headers.first(name: .ifNoneMatch) == file.etag { return Response(status: .notModified, headers: headers) }
        headers.replaceOrAdd(name: .contentType, value: file.contentType)
        if kind.isDownload { headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ocop-\(kind.rawValue)\"") }
        return Response(status: .ok, headers: headers, body: .init(data: file.body))
    }

    /// `/ocop/photos/{id}-large.jpg` or `-small.jpg`: the bytes never change for an id.
    @Sendable func photo(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        let size = file.hasSuffix("-large.jpg") ? "large" : file.hasSuffix("-small.jpg") ? "small" : nil
        guard let size, let id = UUID(uuidString: String(file.dropLast(size.count + 5))),
              let photo = try await OcopPhotoModel.find(id, on: req.db) else { throw AppError.notFound }
        return Response(status: .ok, headers: ["Content-Type": "image/jpeg", "Cache-Control": "public, max-age=31536000, immutable"],
                        body: .init(data: size == "large" ? photo.large : photo.small))
    }

    private func notFound(_ req: Request) async throws -> Response {
        struct Missing: Encodable, Sendable { var missing = true }
        return try await req.renderPage("ocop-missing", title: .init(vi: "Không tìm thấy", en: "Not found"), Missing(), status: .notFound)
    }
}

extension Request {
    var ocopPages: OcopPages {
        let config = application.choSoConfig
        return OcopPages(database: db, today: Day(Date(), in: config.timeZone), language: language, baseURL: config.publicURL)
    }

    var ocopFeeds: OcopFeedService {
        let config = application.choSoConfig
        return OcopFeedService(database: db, today: Day(Date(), in: config.timeZone), timeZone: config.timeZone, baseURL: config.publicURL)
    }
}

extension Application {
    /// Photos go through libvips' `vipsthumbnail`: the configured one, or the first on the PATH.
    var ocopPhotos: OcopPhotoService {
        OcopPhotoService(database: db, vipsthumbnail: choSoConfig.vipsthumbnailPath ?? ExternalTool.onPath("vipsthumbnail"))
    }
}

extension Request {
    var ocopPhotos: OcopPhotoService {
        var service = application.ocopPhotos
        service.database = db
        return service
    }
}
