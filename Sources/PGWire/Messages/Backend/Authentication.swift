public import NIOCore

extension BackendMessage {
    /// `R`: the server's authentication request, or the result of authentication.
    ///
    /// The Int32 after the length says which; methods pgwire-swift cannot perform (Kerberos, GSSAPI,
    /// SSPI) still decode, so that the connection can fail with "unsupported authentication method"
    /// rather than a protocol violation.
    public enum Authentication: Hashable, Sendable {
        /// Code 0: authentication succeeded.
        case ok
        /// Code 2: Kerberos V5 (no longer supported by PostgreSQL servers).
        case kerberosV5
        /// Code 3: send the password in clear text.
        case cleartextPassword
        /// Code 5: send the password hashed with MD5 and this 4-byte salt.
        case md5Password(salt: UInt32)
        /// Code 7: GSSAPI.
        case gss
        /// Code 8: GSSAPI or SSPI continuation data.
        case gssContinue(data: ByteBuffer)
        /// Code 9: SSPI.
        case sspi
        /// Code 10: SASL, with the mechanisms the server offers, most preferred first.
        case sasl(mechanisms: [String])
        /// Code 11: SASL challenge data (server-first-message for SCRAM).
        case saslContinue(data: ByteBuffer)
        /// Code 12: SASL outcome data (server-final-message for SCRAM).
        case saslFinal(data: ByteBuffer)

        /// The protocol's code for this request.
        public var code: Int32 {
            switch self {
            case .ok: 0
            case .kerberosV5: 2
            case .cleartextPassword: 3
            case .md5Password: 5
            case .gss: 7
            case .gssContinue: 8
            case .sspi: 9
            case .sasl: 10
            case .saslContinue: 11
            case .saslFinal: 12
            }
        }

        /// A short name for logs: `"SCRAM/SASL"`, `"md5"`, `"GSSAPI"`.
        public var methodName: String {
            switch self {
            case .ok: "ok"
            case .kerberosV5: "Kerberos V5"
            case .cleartextPassword: "password"
            case .md5Password: "md5"
            case .gss, .gssContinue: "GSSAPI"
            case .sspi: "SSPI"
            case .sasl, .saslContinue, .saslFinal: "SASL"
            }
        }
    }
}

extension BackendMessage.Authentication: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let code = try reader.readInt32("code")
        switch code {
        case 0: return .ok
        case 2: return .kerberosV5
        case 3: return .cleartextPassword
        case 5: return .md5Password(salt: try reader.readUInt32("salt"))
        case 7: return .gss
        case 8: return .gssContinue(data: reader.readRest())
        case 9: return .sspi
        case 10:
            var mechanisms: [String] = []
            while true {
                let mechanism = try reader.readCString("mechanism")
                if mechanism.isEmpty { break }
                mechanisms.append(mechanism)
            }
            return .sasl(mechanisms: mechanisms)
        case 11: return .saslContinue(data: reader.readRest())
        case 12: return .saslFinal(data: reader.readRest())
        default:
            throw reader.error(.invalidValue("authentication code \(code)"), "code")
        }
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(code)
        switch self {
        case .ok, .kerberosV5, .cleartextPassword, .gss, .sspi:
            break
        case .md5Password(let salt):
            buffer.writeInteger(salt)
        case .gssContinue(let data), .saslContinue(let data), .saslFinal(let data):
            buffer.writeImmutableBuffer(data)
        case .sasl(let mechanisms):
            for mechanism in mechanisms {
                buffer.writeString(mechanism)
                buffer.writeInteger(UInt8(0))
            }
            buffer.writeInteger(UInt8(0))
        }
    }
}
