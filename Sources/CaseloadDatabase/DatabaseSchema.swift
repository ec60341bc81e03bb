import Foundation
import PostgresNIO

/// The tables Caseload keeps in a database, their version, and the steps that create and migrate them
/// (docs/DATABASE.md describes them).
public enum DatabaseSchema {
    /// The newest schema this Caseload knows.
    public static let currentVersion = 1
    /// The NOTIFY channel a save announces its new revision on (the payload: the revision as decimal text).
    public static let channel = "caseload_changes"

    /// One migration step: the SQL that brings a database from `version - 1` to `version`.
    struct Step {
        let version: Int
        let sql: [String]
    }

    /// Every step in order; version 2 will be one more entry here, run by `initialise` on a version 1 database.
    static let steps: [Step] = [
        Step(version: 1, sql: [
            """
            CREATE TABLE caseload_meta (
              singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
              schema_version integer NOT NULL,
              format_version integer NOT NULL,
              revision       bigint  NOT NULL DEFAULT 0,
              encryption     bytea,
              audit_seal     bytea,
              updated_at     timestamptz NOT NULL DEFAULT now(),
              updated_by     text NOT NULL DEFAULT ''
            )
            """,
            """
            CREATE TABLE caseload_entities (
              kind       text    NOT NULL,
              id         text    NOT NULL,
              position   integer NOT NULL,
              version    bigint  NOT NULL,
              revision   bigint  NOT NULL,
              updated_at timestamptz NOT NULL,
              updated_by text    NOT NULL,
              body       bytea,
              PRIMARY KEY (kind, id)
            )
            """,
            "CREATE INDEX caseload_entities_revision ON caseload_entities (revision)",
            """
            CREATE TABLE caseload_audit (
              seq  bigint PRIMARY KEY,
              line bytea  NOT NULL
            )
            """,
            "CREATE TABLE caseload_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        ]),
    ]

    /// An arbitrary constant: concurrent `initialise` calls on one database take turns on this advisory lock.
    private static let initialiseLock: Int64 = 0x4341_5345_4c4f_4144  // "CASELOAD"

    /// Creates the schema in an empty database, or brings an older one up to `currentVersion`, in one transaction;
    /// the meta row gets `formatVersion` when the schema is created. True when it created the schema, false when it
    /// was already there (nothing is changed on a current database). Refuses a schema newer than this Caseload's.
    @discardableResult
    public static func initialise(_ connection: DatabaseConnection, formatVersion: Int) throws(DatabaseError) -> Bool {
        try connection.transaction { (c: DatabaseConnection) throws(DatabaseError) -> Bool in
            try c.query("SELECT pg_advisory_xact_lock(\(initialiseLock))")
            let existing = try version(c)
            if let existing, existing > currentVersion { throw newer(existing, c) }
            let from = existing ?? 0
            for step in steps where step.version > from {
                for statement in step.sql { try c.execute(statement) }
                try c.query("INSERT INTO caseload_schema (version) VALUES (\(step.version))")
            }
            if existing == nil {
                try c.query(
                    """
                    INSERT INTO caseload_meta (schema_version, format_version, revision, encryption)
                    VALUES (\(currentVersion), \(formatVersion), 0, NULL)
                    """)
            } else if from < currentVersion {
                try c.query("UPDATE caseload_meta SET schema_version = \(currentVersion)")
            }
            return existing == nil
        }
    }

    /// Refuses a database without Caseload's schema, with an older one (`db init` brings it up) or a newer one.
    public static func check(_ connection: DatabaseConnection) throws(DatabaseError) {
        let shown = connection.address.display
        guard let existing = try version(connection) else {
            throw .schema(address: shown, detail: "has no Caseload schema: run `caseload db init \(shown)` first")
        }
        if existing > currentVersion { throw newer(existing, connection) }
        if existing < currentVersion {
            throw .schema(
                address: shown,
                detail: "has an older Caseload schema (\(existing)): run `caseload db init \(shown)` to bring it up to \(currentVersion)")
        }
        let meta = try connection.query("SELECT count(*) FROM caseload_meta")
        guard try count(meta, connection) == 1 else {
            throw .schema(address: shown, detail: "has Caseload's tables but no settings row (caseload_meta): it is damaged")
        }
    }

    /// Whether the database holds no entity rows and no audit trail (what `db import` may fill without --force).
    public static func isEmpty(_ connection: DatabaseConnection) throws(DatabaseError) -> Bool {
        let rows = try connection.query(
            "SELECT (SELECT count(*) FROM caseload_entities) + (SELECT count(*) FROM caseload_audit)")
        return try count(rows, connection) == 0
    }

    /// The highest version recorded in caseload_schema, or nil when there is no such table.
    static func version(_ connection: DatabaseConnection) throws(DatabaseError) -> Int? {
        let table = try connection.query("SELECT to_regclass('caseload_schema') IS NOT NULL")
        let exists: Bool
        do { exists = try table.first?.decode(Bool.self) ?? false } catch {
            throw .query(address: connection.address.display, detail: "the schema check gave an unexpected answer")
        }
        guard exists else { return nil }
        let rows = try connection.query("SELECT coalesce(max(version), 0) FROM caseload_schema")
        do {
            guard let version = try rows.first?.decode(Int32.self) else { return nil }
            return version == 0 ? nil : Int(version)
        } catch {
            throw .query(address: connection.address.display, detail: "the schema version could not be read")
        }
    }

    private static func newer(_ version: Int, _ connection: DatabaseConnection) -> DatabaseError {
        .schema(
            address: connection.address.display,
            detail: "was set up by a newer Caseload (schema \(version)); this one knows up to \(currentVersion)")
    }

    private static func count(_ rows: [PostgresRow], _ connection: DatabaseConnection) throws(DatabaseError) -> Int64 {
        do { return try rows.first?.decode(Int64.self) ?? 0 } catch {
            throw .query(address: connection.address.display, detail: "a count gave an unexpected answer")
        }
    }
}
