public import NIOCore

/// The kinds of backend message by type byte, the one place that maps bytes to message types.
enum BackendMessageKind: UInt8, CaseIterable {
    case authentication = 0x52  // R
    case backendKeyData = 0x4B  // K
    case bindComplete = 0x32  // 2
    case closeComplete = 0x33  // 3
    case commandComplete = 0x43  // C
    case copyInResponse = 0x47  // G
    case copyOutResponse = 0x48  // H
    case copyBothResponse = 0x57  // W
    case copyData = 0x64  // d
    case copyDone = 0x63  // c
    case dataRow = 0x44  // D
    case emptyQueryResponse = 0x49  // I
    case errorResponse = 0x45  // E
    case noticeResponse = 0x4E  // N
    case negotiateProtocolVersion = 0x76  // v
    case noData = 0x6E  // n
    case notificationResponse = 0x41  // A
    case parameterDescription = 0x74  // t
    case parameterStatus = 0x53  // S
    case parseComplete = 0x31  // 1
    case portalSuspended = 0x73  // s
    case readyForQuery = 0x5A  // Z
    case rowDescription = 0x54  // T

    init?(typeByte: UInt8) { self.init(rawValue: typeByte) }

    /// The message's name in the PostgreSQL documentation.
    var name: String {
        switch self {
        case .authentication: "Authentication"
        case .backendKeyData: "BackendKeyData"
        case .bindComplete: "BindComplete"
        case .closeComplete: "CloseComplete"
        case .commandComplete: "CommandComplete"
        case .copyInResponse: "CopyInResponse"
        case .copyOutResponse: "CopyOutResponse"
        case .copyBothResponse: "CopyBothResponse"
        case .copyData: "CopyData"
        case .copyDone: "CopyDone"
        case .dataRow: "DataRow"
        case .emptyQueryResponse: "EmptyQueryResponse"
        case .errorResponse: "ErrorResponse"
        case .noticeResponse: "NoticeResponse"
        case .negotiateProtocolVersion: "NegotiateProtocolVersion"
        case .noData: "NoData"
        case .notificationResponse: "NotificationResponse"
        case .parameterDescription: "ParameterDescription"
        case .parameterStatus: "ParameterStatus"
        case .parseComplete: "ParseComplete"
        case .portalSuspended: "PortalSuspended"
        case .readyForQuery: "ReadyForQuery"
        case .rowDescription: "RowDescription"
        }
    }

    func decode(from reader: inout MessageReader) throws(PGWireError) -> BackendMessage {
        switch self {
        case .authentication: .authentication(try .decode(from: &reader))
        case .backendKeyData: .backendKeyData(try .decode(from: &reader))
        case .bindComplete: .bindComplete
        case .closeComplete: .closeComplete
        case .commandComplete: .commandComplete(try .decode(from: &reader))
        case .copyInResponse: .copyInResponse(try .decode(from: &reader))
        case .copyOutResponse: .copyOutResponse(try .decode(from: &reader))
        case .copyBothResponse: .copyBothResponse(try .decode(from: &reader))
        case .copyData: .copyData(try .decode(from: &reader))
        case .copyDone: .copyDone
        case .dataRow: .dataRow(try .decode(from: &reader))
        case .emptyQueryResponse: .emptyQueryResponse
        case .errorResponse: .errorResponse(try .decode(from: &reader))
        case .noticeResponse: .noticeResponse(try .decode(from: &reader))
        case .negotiateProtocolVersion: .negotiateProtocolVersion(try .decode(from: &reader))
        case .noData: .noData
        case .notificationResponse: .notificationResponse(try .decode(from: &reader))
        case .parameterDescription: .parameterDescription(try .decode(from: &reader))
        case .parameterStatus: .parameterStatus(try .decode(from: &reader))
        case .parseComplete: .parseComplete
        case .portalSuspended: .portalSuspended
        case .readyForQuery: .readyForQuery(try .decode(from: &reader))
        case .rowDescription: .rowDescription(try .decode(from: &reader))
        }
    }
}

extension BackendMessageKind {
    /// The message, for the kinds that have no body.
    var withoutBody: BackendMessage? {
        switch self {
        case .bindComplete: .bindComplete
        case .closeComplete: .closeComplete
        case .copyDone: .copyDone
        case .emptyQueryResponse: .emptyQueryResponse
        case .noData: .noData
        case .parseComplete: .parseComplete
        case .portalSuspended: .portalSuspended
        default: nil
        }
    }
}

extension BackendMessage {
    /// The message's kind, which gives its type byte and name.
    var kind: BackendMessageKind {
        switch self {
        case .authentication: .authentication
        case .backendKeyData: .backendKeyData
        case .bindComplete: .bindComplete
        case .closeComplete: .closeComplete
        case .commandComplete: .commandComplete
        case .copyInResponse: .copyInResponse
        case .copyOutResponse: .copyOutResponse
        case .copyBothResponse: .copyBothResponse
        case .copyData: .copyData
        case .copyDone: .copyDone
        case .dataRow: .dataRow
        case .emptyQueryResponse: .emptyQueryResponse
        case .errorResponse: .errorResponse
        case .noticeResponse: .noticeResponse
        case .negotiateProtocolVersion: .negotiateProtocolVersion
        case .noData: .noData
        case .notificationResponse: .notificationResponse
        case .parameterDescription: .parameterDescription
        case .parameterStatus: .parameterStatus
        case .parseComplete: .parseComplete
        case .portalSuspended: .portalSuspended
        case .readyForQuery: .readyForQuery
        case .rowDescription: .rowDescription
        }
    }

    /// The message's name in the PostgreSQL documentation (`"DataRow"`).
    public var name: String { kind.name }

    /// Writes the whole message (type byte, length, body) into `buffer`.
    ///
    /// Clients never send backend messages; this exists for tests, fixtures and scripted servers.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(kind.rawValue)
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        switch self {
        case .bindComplete, .closeComplete, .copyDone, .emptyQueryResponse, .noData,
            .parseComplete, .portalSuspended:
            break
        case .authentication(let body): body.encodeBody(into: &buffer)
        case .backendKeyData(let body): body.encodeBody(into: &buffer)
        case .commandComplete(let body): body.encodeBody(into: &buffer)
        case .copyInResponse(let body), .copyOutResponse(let body), .copyBothResponse(let body):
            body.encodeBody(into: &buffer)
        case .copyData(let body): body.encodeBody(into: &buffer)
        case .dataRow(let body): body.encodeBody(into: &buffer)
        case .errorResponse(let body): body.encodeBody(into: &buffer)
        case .noticeResponse(let body): body.encodeBody(into: &buffer)
        case .negotiateProtocolVersion(let body): body.encodeBody(into: &buffer)
        case .notificationResponse(let body): body.encodeBody(into: &buffer)
        case .parameterDescription(let body): body.encodeBody(into: &buffer)
        case .parameterStatus(let body): body.encodeBody(into: &buffer)
        case .readyForQuery(let body): body.encodeBody(into: &buffer)
        case .rowDescription(let body): body.encodeBody(into: &buffer)
        }
        buffer.setInteger(Int32(truncatingIfNeeded: buffer.writerIndex - lengthIndex), at: lengthIndex)
    }
}
