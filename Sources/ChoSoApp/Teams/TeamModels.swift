import Fluent
import Foundation

/// A community digital-technology team (tổ công nghệ số cộng đồng) of a commune or hamlet.
final class TeamModel: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "unit_id") var unitID: String
    @Children(for: \.$team) var members: [TeamMemberModel]

    init() {}

    init(id: UUID? = nil, name: String, unitID: String) {
        self.id = id
        self.name = name
        self.unitID = unitID
    }
}

final class TeamMemberModel: Model, @unchecked Sendable {
    static let schema = "team_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: TeamModel
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "phone") var phone: String?

    init() {}

    init(id: UUID? = nil, teamID: UUID, fullName: String, phone: String?) {
        self.id = id
        self.$team.id = teamID
        self.fullName = fullName
        self.phone = phone
    }
}
