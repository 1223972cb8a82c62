import ChoSoCore
import Fluent
import Foundation
import Vapor

/// Product photos: the type checked from the bytes, resized by libvips (`vipsthumbnail`) to a
/// large and a small JPEG with metadata such as GPS stripped, stored with the product.
struct OcopPhotoService {
    var database: any Database
    var vipsthumbnail: String?

    static let maxBytes = 10 * 1024 * 1024
    static let largeSize = 1200, smallSize = 400
    static let maxPhotos = 8

    static func notAnImage(_ name: String) -> AppError {
        AppError(status: .unprocessableEntity, code: "not_an_image", message: .init(
            vi: "Tệp \(name) không phải ảnh JPEG, PNG hay WebP (đã kiểm tra nội dung tệp, không theo tên)",
            en: "\(name) is not a JPEG, PNG or WebP image (its content was checked, not its name)"))
    }

    func add(_ bytes: Data, fileName: String, to productID: UUID) async throws -> OcopPhotoModel {
        let name = String(TextNormalization.clean(fileName).prefix(80))
        guard bytes.count <= Self.maxBytes else {
            throw AppError(status: .unprocessableEntity, code: "photo_too_large", message: .init(
                vi: "Ảnh \(name) lớn hơn 10 MB", en: "\(name) is larger than 10 MB"))
        }
        guard let kind = ImageKind.sniff(bytes) else { throw Self.notAnImage(name) }
        // The header's size, before anything decodes it: a tiny file claiming a giant image
        // would keep the image library busy for many seconds.
        guard let size = ImageSize.read(Array(bytes), kind: kind) else { throw Self.notAnImage(name) }
        guard size.pixels <= ImageSize.maxPixels else {
            throw AppError(status: .unprocessableEntity, code: "photo_too_many_pixels", message: .init(
                vi: "Ảnh \(name) quá lớn về kích thước (\(size.width) × \(size.height) điểm ảnh, tối đa 80 triệu): hãy chụp lại hoặc thu nhỏ",
                en: "\(name) is too large in pixels (\(size.width) × \(size.height), at most 80 million): take it again or shrink it"))
        }
        guard min(size.width, size.height) >= ImageSize.minSide else {
            throw AppError(status: .unprocessableEntity, code: "photo_too_small", message: .init(
                vi: "Ảnh \(name) quá nhỏ (\(size.width) × \(size.height) điểm ảnh): cần ít nhất \(ImageSize.minSide) điểm ảnh mỗi chiều",
                en: "\(name) is too small (\(size.width) × \(size.height)): at least \(ImageSize.minSide) pixels each way"))
        }
        let count = try await OcopPhotoModel.query(on: database).filter(\.$productID == productID).count()
        guard count < Self.maxPhotos else {
            throw AppError(status: .unprocessableEntity, code: "too_many_photos", message: .init(
                vi: "Mỗi sản phẩm tối đa \(Self.maxPhotos) ảnh", en: "At most \(Self.maxPhotos) photos per product"))
        }
        let (large, small) = try await resize(bytes, kind: kind, name: name)
        let photo = OcopPhotoModel()
        photo.productID = productID
        photo.position = count
        photo.large = large
        photo.small = small
        try await database.transaction { db in
            try await photo.create(on: db)
            if count == 0, let product = try await OcopProductModel.find(productID, on: db) {
                product.imagePath = "/ocop/photos/\(try photo.requireID().uuidString.lowercased())-large.jpg"
                try await product.save(on: db)
            }
        }
        return photo
    }

    /// Two JPEGs, shrunk only (a small photo is never blown up), off the event loops.
    func resize(_ bytes: Data, kind: ImageKind, name: String) async throws -> (large: Data, small: Data) {
        guard let tool = vipsthumbnail else {
            throw AppError(status: .serviceUnavailable, code: "images_unavailable", message: .init(
                vi: "Máy chủ chưa cài thư viện ảnh (libvips-tools)", en: "The server has no image library (libvips-tools)"))
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-photo-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: folder) }
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    let input = folder.appendingPathComponent("in.\(kind.fileExtension)")
                    try bytes.write(to: input)
                    var outputs: [Data] = []
                    for (size, quality) in [(Self.largeSize, 82), (Self.smallSize, 78)] {
                        let output = folder.appendingPathComponent("\(size).jpg")
                        // VIPS_BLOCK_UNTRUSTED keeps libvips to its fuzzed loaders; "strip" drops EXIF (GPS) and XMP.
                        try ExternalTool.run(tool, [input.path, "--size", "\(size)x\(size)>", "-o", "\(output.path)[Q=\(quality),strip,optimize_coding]"],
                                             environment: ["VIPS_BLOCK_UNTRUSTED": "1", "VIPS_CONCURRENCY": "1"], timeout: 30)
                        outputs.append(try Data(contentsOf: output))
                    }
                    continuation.resume(returning: (outputs[0], outputs[1]))
                } catch {
                    continuation.resume(throwing: Self.notAnImage(name))
                }
            }
        }
    }
}
