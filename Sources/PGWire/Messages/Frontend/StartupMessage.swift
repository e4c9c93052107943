import NIOCore

/// A protocol version: major 3, minor 0 or 2.
public struct ProtocolVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The major version (3).
    public var major: UInt16
    /// The minor version (0, or 2 since PostgreSQL 18).
    public var minor: UInt16

    /// Creates a version from its parts.
    public init(major: UInt16, minor: UInt16) {
        self.major = major
        self.minor = minor
    }

    /// Protocol 3.0, every server since PostgreSQL 7.4 (code 196608).
    public static let v3_0 = ProtocolVersion(major: 3, minor: 0)
    /// Protocol 3.2, PostgreSQL 18 and later (code 196610): longer cancel keys.
    public static let v3_2 = ProtocolVersion(major: 3, minor: 2)

    /// The Int32 code sent on the wire.
    public var code: Int32 { Int32(bitPattern: UInt32(major) << 16 | UInt32(minor)) }

    /// Splits a wire code into its parts.
    public init(code: Int32) {
        let bits = UInt32(bitPattern: code)
        self.init(major: UInt16(bits >> 16), minor: UInt16(bits & 0xFFFF))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }
    public var description: String { "\(major).\(minor)" }
}

extension FrontendMessage {
    /// The first message of a session: the protocol version and session parameters
    /// (`user` is required; `database`, `application_name`, `options`, `_pq_.` options, …).
    public struct StartupMessage: Hashable, Sendable {
        /// One session parameter.
        public struct Parameter: Hashable, Sendable {
            /// The parameter's name (`user`, `database`, a GUC name).
            public var name: String
            /// Its value.
            public var value: String
            /// Creates a parameter.
            public init(_ name: String, _ value: String) {
                self.name = name
                self.value = value
            }
        }

        /// The protocol version the client asks for.
        public var protocolVersion: ProtocolVersion
        /// The session parameters, in the order they are sent.
        public var parameters: [Parameter]

        /// Creates a startup message.
        public init(protocolVersion: ProtocolVersion = .v3_0, parameters: [Parameter]) {
            self.protocolVersion = protocolVersion
            self.parameters = parameters
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeLengthPrefixedBody { (body) throws(PGWireError) in
                body.writeInteger(protocolVersion.code)
                for parameter in parameters {
                    guard !parameter.name.isEmpty else {
                        throw PGWireError(.invalidValue("an empty parameter name"), message: "StartupMessage", field: "parameters")
                    }
                    try body.writeCString(parameter.name, message: "StartupMessage", field: "parameter name")
                    try body.writeCString(parameter.value, message: "StartupMessage", field: parameter.name)
                }
                body.writeInteger(UInt8(0))
            }
        }

        static func decode(from reader: inout MessageReader, version: ProtocolVersion) throws(PGWireError) -> Self {
            var parameters: [Parameter] = []
            while true {
                let name = try reader.readCString("parameter name")
                if name.isEmpty { break }
                parameters.append(Parameter(name, try reader.readCString(name)))
            }
            return Self(protocolVersion: version, parameters: parameters)
        }
    }

    /// Cancels the query running on another connection, identified by its BackendKeyData.
    public struct CancelRequest: Hashable, Sendable {
        /// The process ID from the other connection's BackendKeyData.
        public var processID: Int32
        /// The secret key from the other connection's BackendKeyData (4 bytes, or up to 256 with
        /// protocol 3.2).
        public var secretKey: [UInt8]

        /// Creates a cancel request.
        public init(processID: Int32, secretKey: [UInt8]) {
            self.processID = processID
            self.secretKey = secretKey
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            guard (4...BackendMessage.BackendKeyData.maximumSecretKeyLength).contains(secretKey.count) else {
                throw PGWireError(.invalidValue("secret key of \(secretKey.count) bytes"), message: "CancelRequest", field: "secretKey")
            }
            try buffer.writeLengthPrefixedBody { body in
                body.writeInteger(SpecialRequestCode.cancel.rawValue)
                body.writeInteger(processID)
                body.writeBytes(secretKey)
            }
        }
    }
}

/// The codes that take the protocol version's place in the untyped startup-family messages.
enum SpecialRequestCode: Int32 {
    /// 1234.5678
    case cancel = 80_877_102
    /// 1234.5679
    case ssl = 80_877_103
    /// 1234.5680
    case gssEncryption = 80_877_104

    /// Writes the 8-byte request (length 8 and the code).
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int32(8))
        buffer.writeInteger(rawValue)
    }
}
