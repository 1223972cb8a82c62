import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The indicators (issue 17): the catalogue (seeded, editable by an administrator), official
/// baselines, targets with the plan that set them, frozen reports, and the live aggregates.
struct CreateIndicators: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await database.schema("indicator_definitions")
            .field("code", .string, .identifier(auto: false))
            .field("position", .int, .required)
            .field("name_vi", .string, .required)
            .field("name_en", .string, .required)
            .field("pillar", .string, .required)
            .field("unit", .string, .required)
            .field("numerator", .string, .required)
            .field("denominator", .string)
            .field("source_note", .string, .required)
            .create()
        for (position, definition) in IndicatorDefinition.seeded.enumerated() {
            try await IndicatorDefinitionModel(definition, position: position).create(on: database)
        }
        try await database.schema("indicator_baselines")
            .id()
            .field("unit_id", .string, .required)
            .field("kind", .string, .required)
            .field("as_of", .string, .required)
            .field("value", .int64, .required)
            .field("source", .string, .required)
            .field("entered_by", .uuid)
            .field("entered_at", .datetime, .required)
            .unique(on: "unit_id", "kind", "as_of")
            .create()
        try await database.schema("indicator_targets")
            .id()
            .field("unit_id", .string, .required)
            .field("code", .string, .required)
            .field("period", .string, .required)
            .field("value", .int64, .required)
            .field("plan_number", .string, .required)
            .field("plan_date", .string, .required)
            .field("issuer", .string, .required)
            .field("is_demo", .bool, .required)
            .unique(on: "unit_id", "code", "period")
            .create()
        // Each change lands in a year, a month and a day row (grain 0, 1, 2), so a figure as of
        // any date reads whole years, then months, then days; at two levels: the hamlet the record
        // names (level 0, for a commune's table) and that hamlet's commune (level 1, so that a
        // province's table reads a hundred communes rather than a thousand hamlets).
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TABLE \(ident: IndicatorStore.countsTable) (level INTEGER NOT NULL, grain INTEGER NOT NULL, bucket TEXT NOT NULL,
                unit_id TEXT NOT NULL, measure TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (level, grain, bucket, unit_id, measure)) WITHOUT ROWID
                """).run()
        } else {
            try await database.schema(IndicatorStore.countsTable)
                .field("level", .int, .required)
                .field("grain", .int, .required)
                .field("bucket", .string, .required)
                .field("unit_id", .string, .required)
                .field("measure", .string, .required)
                .field("value", .int64, .required)
                .unique(on: "level", "grain", "bucket", "unit_id", "measure")
                .create()
        }
        // A commune's table reads only its own hamlets' rows.
        try await sql.raw("CREATE INDEX indicator_counts_unit ON \(ident: IndicatorStore.countsTable) (level, unit_id, grain, bucket)").run()
        // A frozen report ("chốt số liệu") is never changed: data arriving later makes a new version.
        try await database.schema("indicator_reports")
            .id()
            .field("unit_id", .string, .required)
            .field("tree", .string, .required)
            .field("period", .string, .required)
            .field("version", .int, .required)
            .field("content", .string, .required)
            .field("frozen_by", .uuid)
            .field("frozen_by_name", .string, .required)
            .field("frozen_at", .datetime, .required)
            .unique(on: "unit_id", "tree", "period", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["indicator_reports", IndicatorStore.countsTable, "indicator_targets", "indicator_baselines", "indicator_definitions"] {
            try await database.schema(table).delete()
        }
    }
}
