import NIOCore
import PGWire

/// The caller's side of a request the pipeline knows of: its promises (in the request) and, once
/// the result streams, the stream its caller reads.
struct PGOutstandingRequest {
    let request: PGRequest
    /// The open row stream of a `query`, and where its command tag goes.
    var rowStream: PGStreamBuffer<BackendMessage.DataRow>?
    var completion: PGQueryCompletion?
    /// The open data stream of a COPY TO STDOUT.
    var copyStream: PGStreamBuffer<ByteBuffer>?

    init(request: PGRequest) {
        self.request = request
    }

    /// Ends whatever the caller is still waiting on with `error`.
    func settle(with error: PGError) {
        rowStream?.finish(error)
        copyStream?.finish(error)
        request.fail(error)
    }
}
