import Vapor

extension Request {
    /// A body the caller may leave out (a note, a name, a chosen secret). Nothing sent gives
    /// `empty`; anything sent must decode, or the request fails before it changes anything: a
    /// body of `\0` must not read as "no secret given" and rotate a connection's secret.
    func optionalContent<Body: Content>(_ type: Body.Type, empty: Body) throws -> Body {
        guard let bytes = body.data, bytes.readableBytes > 0 else { return empty }
        return try content.decode(Body.self)
    }
}
