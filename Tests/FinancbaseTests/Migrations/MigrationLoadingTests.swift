import Financbase
import Foundation
import Testing

@Suite("Migration loading")
struct MigrationLoadingTests {
    @Test(
        "the bundled migrations load, start with the foundation, and have strictly increasing versions"
    )
    func bundled() throws {
        let migrations = try BundledMigrations.load()
        let first = try #require(migrations.first)
        #expect(first.fileName == "0001_foundation")
        #expect(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version })
        #expect(Set(migrations.map(\.version)).count == migrations.count)
        for migration in migrations {
            #expect(migration.checksum.count == 64)
            #expect(migration.checksum.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test("the checksum is SHA-256 of the file's bytes, in lowercase hex")
    func checksum() throws {
        #expect(
            Migration(version: 1, name: "a", sql: "abc").checksum
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let bytes: [UInt8] = Array("\u{FEFF}CREATE TABLE é (x int);\r\n".utf8)
        let folder = try temporaryMigrationFolder(["0001_bom.sql": bytes])
        let loaded = try MigrationDirectory.load(from: folder)
        #expect(
            loaded.map(\.checksum) == [
                Migration(version: 1, name: "bom", sql: String(decoding: bytes, as: UTF8.self))
                    .checksum
            ])
        #expect(loaded.first?.sql.utf8.elementsEqual(bytes) == true)
    }

    @Test("a folder loads in version order; files that do not end in .sql are ignored")
    func folder() throws {
        let folder = try temporaryMigrationFolder([
            "0010_later.sql": "SELECT 10;", "0002_second.sql": "SELECT 2;",
            "0001_first.sql": "SELECT 1;",
            "README.md": "not a migration", ".DS_Store": "",
        ])
        let migrations = try MigrationDirectory.load(from: folder)
        #expect(migrations.map(\.fileName) == ["0001_first", "0002_second", "0010_later"])
        #expect(migrations.map(\.sql) == ["SELECT 1;", "SELECT 2;", "SELECT 10;"])
    }

    @Test(
        "a badly named .sql file is an error, never skipped",
        arguments: [
            "1_short.sql", "0001-dash.sql", "0001_.sql", "0001_Upper.sql", "0000_zero.sql",
            "0001_double__underscore.sql", "0001_upper_ext.SQL", "99999999999_too_big.sql",
            "_0001_lead.sql", "0001_trailing_.sql", "000a_letters.sql", "0001_sp ace.sql",
        ])
    func badName(file: String) throws {
        let folder = try temporaryMigrationFolder(["0002_good.sql": "SELECT 1;", file: "SELECT 1;"])
        #expect {
            try MigrationDirectory.load(from: folder)
        } throws: { error in
            guard case .invalidFileName(let name, _) = error as? MigrationError else {
                return false
            }
            return name == file
        }
    }

    @Test("two files with one version are an error naming both")
    func duplicateVersion() throws {
        let folder = try temporaryMigrationFolder([
            "0002_a.sql": "SELECT 1;", "00002_b.sql": "SELECT 2;",
        ])
        #expect {
            try MigrationDirectory.load(from: folder)
        } throws: { error in
            guard case .duplicateVersion(2, let names) = error as? MigrationError else {
                return false
            }
            return names == ["00002_b.sql", "0002_a.sql"]
        }
    }

    @Test("a file that is not UTF-8 is an error")
    func notUTF8() throws {
        let folder = try temporaryMigrationFolder([
            "0001_latin1.sql": [0x53, 0x45, 0x4C, 0xE9, 0x0A]
        ])
        #expect {
            try MigrationDirectory.load(from: folder)
        } throws: { error in
            guard case .notUTF8("0001_latin1.sql") = error as? MigrationError else { return false }
            return true
        }
    }

    @Test("a folder that does not exist is an error")
    func missingFolder() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "no-such-\(UUID().uuidString)")
        #expect {
            try MigrationDirectory.load(from: folder)
        } throws: { error in
            guard case .directoryUnreadable(let path, _) = error as? MigrationError else {
                return false
            }
            return path == folder.path
        }
    }
}
