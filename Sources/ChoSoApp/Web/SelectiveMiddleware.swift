import Vapor

/// An async middleware that only some requests need. Vapor runs every `AsyncMiddleware` in a task
/// of its own and waits there for the rest of the chain: two hops between threads for each
/// middleware on each request, which a webhook delivery paid nine times (docs/performance.md).
/// A request this middleware has nothing to do for goes on at once, on its event loop.
protocol SelectiveMiddleware: AsyncMiddleware {
    func applies(to request: Request) -> Bool
}

extension SelectiveMiddleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard applies(to: request) else { return next.respond(to: request) }
        return request.eventLoop.makeFutureWithTask {
            try await self.respond(to: request, chainingTo: AsyncBasicResponder { try await next.respond(to: $0).get() })
        }
    }
}
