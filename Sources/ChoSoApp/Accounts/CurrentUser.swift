import ChoSoCore
import Vapor

/// The signed-in user for this request, with how they proved it.
struct CurrentUser: Authenticatable, Sendable {
    enum Proof: Sendable { case session, bearerToken }

    var id: UUID
    var username: String
    var displayName: String
    var role: Role
    var scope: Set<String>
    var proof: Proof
    /// The user's credential epoch when this proof was checked (a session begun in an older one is over).
    var credentialEpoch: Int = 0
    /// The API token that proved it, if one did.
    var tokenID: UUID?
    /// Signed in with a one-time code: nothing but choosing a password until done.
    var mustChangePassword = false
    /// A producer's shop stalls (where buyers' transfers arrive), looked up with the user on each request (a newly linked shop counts at once).
    var receivingStalls: Set<String> = []

    var principal: Principal { Principal(userID: id.uuidString, role: role, scope: scope, receivingStalls: receivingStalls) }

    /// Whoever runs `choso` on the server: they hold the database already, so they read everything.
    static let commandLine = CurrentUser(
        id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), username: "choso-cli", displayName: "choso",
        role: .admin, scope: [], proof: .bearerToken)
}

extension Request {
    var currentUser: CurrentUser? { auth.get(CurrentUser.self) }

    /// The signed-in user, or 401 for the API and a redirect to the login page for pages.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw AppError.unauthenticated }
        return user
    }
}
