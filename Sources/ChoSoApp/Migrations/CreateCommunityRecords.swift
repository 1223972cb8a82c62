import Fluent
import SQLKit

/// The community teams' work (issue 14): which hamlets a team serves, its members' logins and
/// roles, the household register with every version kept, visits, the leader's review list and
/// targets. Records made on phones keep the phone's UUID as their id, so a resend finds them.
struct CreateCommunityRecords: AsyncMigration {
    static let memberColumns: [(FieldKey, DatabaseSchema.DataType)] = [
        ("user_id", .uuid), ("role", .string), ("affiliation", .string), ("active_from", .string), ("active_to", .string),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("team_hamlets")
            .id()
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("unit_id", .string, .required)
            .unique(on: "team_id", "unit_id")
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for (name, type) in Self.memberColumns {
            try await database.schema("team_members").field(name, type).update()
        }
        try await database.schema("households")
            .field("id", .uuid, .identifier(auto: false))
            .field("hamlet_id", .string, .required)
            .field("current_version", .int, .required)
            .field("address", .string, .required)
            .field("head_name", .string, .required)
            .field("head_name_folded", .string, .required)
            .field("phone", .string)
            .field("members", .int, .required)
            .field("adults", .int, .required)
            .field("language", .string, .required)
            .field("checklist", .string, .required)
            .field("barriers", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("updated_by", .uuid)
            .field("updated_at", .datetime, .required)
            // Settled as the same household as another (a duplicate): kept, not counted.
            .field("merged_into", .uuid)
            .create()
        try await database.schema("household_versions")
            .id()
            .field("household_id", .uuid, .required, .references("households", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("base_version", .int)
            .field("content", .string, .required)
            .field("content_hash", .string, .required)
            .field("conflict_with", .int)
            .field("recorded_by", .uuid)
            .field("device_id", .string)
            .field("recorded_at", .datetime, .required)
            // The database, not the code, makes a version exist once.
            .unique(on: "household_id", "version")
            .create()
        try await database.schema("visits")
            .field("id", .uuid, .identifier(auto: false))
            .field("household_id", .uuid, .required, .references("households", "id", onDelete: .cascade))
            .field("hamlet_id", .string, .required)
            .field("member_id", .uuid)
            .field("visit_date", .string, .required)
            .field("help", .string, .required)
            .field("barriers", .string, .required)
            .field("outcome", .string)
            .field("note", .string, .required)
            .field("corrects", .uuid)
            // {"action", "due"} when the member will come back (FollowUp).
            .field("follow_up", .string)
            .field("content_hash", .string, .required)
            .field("device_id", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("community_reviews")
            .id()
            .field("kind", .string, .required)
            .field("hamlet_id", .string, .required)
            .field("household_id", .uuid)
            .field("version", .int)
            .field("other_version", .int)
            .field("visit_id", .uuid)
            .field("content", .string)
            .field("opened_by", .uuid)
            .field("opened_at", .datetime, .required)
            .field("settled_by", .uuid)
            .field("settled_at", .datetime)
            .field("settlement", .string)
            .create()
        try await database.schema("community_targets")
            .id()
            .field("team_id", .uuid, .references("teams", "id", onDelete: .cascade))
            .field("hamlet_id", .string)
            .field("period", .string, .required)
            .field("period_start", .string, .required)
            .field("item", .string, .required)
            .field("target", .int, .required)
            .field("plan_reference", .string)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            // team or hamlet / period / start / item: one target each, set again to change it.
            .field("target_key", .string, .required)
            .unique(on: "target_key")
            .create()
        // A phone downloads its hamlets' households and what changed since it last looked.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "households_hamlet_updated").on("households").column("hamlet_id").column("updated_at").run()
            // The duplicate check before each new household.
            try await sql.create(index: "households_hamlet_name").on("households").column("hamlet_id").column("head_name_folded").run()
            try await sql.create(index: "visits_hamlet_recorded").on("visits").column("hamlet_id").column("recorded_at").run()
            try await sql.create(index: "visits_household").on("visits").column("household_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["community_targets", "community_reviews", "visits", "household_versions", "households", "team_hamlets"] {
            try await database.schema(table).delete()
        }
        for (name, _) in Self.memberColumns.reversed() {
            try await database.schema("team_members").deleteField(name).update()
        }
    }
}
