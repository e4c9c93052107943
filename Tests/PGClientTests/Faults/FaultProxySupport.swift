import PGClient
import PGLocalCluster

/// Runs `body` with a fault proxy in front of the shared cluster and a configuration that
/// connects through it (without TLS, so that the proxy sees the messages); stops the proxy after.
func withFaultProxy<Result>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PGFaultProxy, PGConfig) async throws -> Result
) async throws -> Result {
    let cluster = try await SharedCluster.instance.cluster
    let proxy = try await PGFaultProxy.start(to: cluster.host, port: cluster.port)
    do {
        let config = try cluster.clientConfig(
            sslmode: .disable, overrides: ["host": proxy.host, "port": "\(proxy.port)"])
        let result = try await body(proxy, config)
        await proxy.stop()
        return result
    } catch {
        await proxy.stop()
        throw error
    }
}

/// The fields of an ErrorResponse or NoticeResponse body, in order.
struct ResponseFields {
    var fields: [(code: UInt8, value: String)]

    init(body: [UInt8]) {
        fields = []
        var rest = body[...]
        while let code = rest.first, code != 0 {
            rest = rest.dropFirst()
            let value = rest.prefix { $0 != 0 }
            fields.append((code, String(decoding: value, as: UTF8.self)))
            rest = rest.dropFirst(value.count + 1)
        }
    }

    subscript(code: Character) -> String? {
        get { fields.first { $0.code == code.asciiValue }?.value }
        set {
            guard let index = fields.firstIndex(where: { $0.code == code.asciiValue }), let newValue else { return }
            fields[index].value = newValue
        }
    }

    var body: [UInt8] {
        fields.flatMap { [$0.code] + Array($0.value.utf8) + [0] } + [0]
    }
}
