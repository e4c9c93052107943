import Testing

@testable import PGWire

@Suite("MD5 password")
struct MD5PasswordTests {
    // Expected values computed with Python's hashlib:
    // "md5" + md5(md5(password + user).hexdigest() + salt).hexdigest()
    @Test(
        arguments: [
            ("secret", "alice", [1, 2, 3, 4], "md598a0412b9c31436fc53776e863350083"),
            (
                "pässwörd", "postgres", [0xFF, 0x00, 0x80, 0x7F],
                "md5dd86b35d5bbcc353b1bdc52a522df759"
            ),
            ("", "", [0, 0, 0, 0], "md591b86670dcd47857d222fa05653500aa"),
        ] as [(String, String, [UInt8], String)])
    func response(password: String, username: String, salt: [UInt8], expected: String) {
        let response = MD5Password.response(
            password: Array(password.utf8), username: username, salt: salt)
        #expect(String(decoding: response, as: UTF8.self) == expected)
    }
}
