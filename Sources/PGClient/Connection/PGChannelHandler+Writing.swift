import NIOCore
import PGWire

extension PGChannelHandler {
    /// Writes a request's messages as the pipeline planned them into `outgoing`.
    ///
    /// The bytes go into a local buffer moved out of the handler and back: every write into a
    /// class's stored property is a run-time exclusivity check, and a batch makes hundreds.
    func write(_ write: RequestWrite, of id: RequestID) {
        var out = ByteBuffer()
        swap(&out, &outgoing)
        defer { swap(&out, &outgoing) }
        do throws(PGWireError) {
            let written = try PGRequestWriter.write(write, for: requests[id], into: &out) { out, more in
                sendPart(&out, more: more)
            }
            if let written { pipeline.batchWritten(upTo: written) }
        } catch {
            // The pipeline checked every message when it planned it; a failure here leaves the
            // server with part of a request, so the connection cannot go on. A warning: it is a
            // bug of the driver's, to be reported, and it closes a connection.
            logger.warning("a planned request could not be written", metadata: ["error": "\(error)"])
            feed { $0.decodingFailed(error) }
        }
    }

    /// Sends `out` once it holds a whole part and more statements follow; returns whether the
    /// socket has more unsent than the limit, so that writing pauses until it drains.
    private func sendPart(_ out: inout ByteBuffer, more: Bool) -> Bool {
        guard more, out.readableBytes >= Self.writePartSize, let context else { return false }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        out = context.channel.allocator.buffer(capacity: 4096)
        return !context.channel.isWritable
    }

    /// The bytes of a large batch written to the socket at a time.
    static let writePartSize = 64 * 1024

    /// Writes CopyData, CopyDone or CopyFail for the COPY FROM STDIN in progress; `promise`
    /// completes when the bytes are handed to the socket, which paces the caller.
    func writeCopyInput(_ input: PGRequest.CopyInput, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        if outgoing.readableBytes > 0 { flush(context: context) }
        do {
            let (header, data) = try PGRequestWriter.copyInput(input, allocator: context.channel.allocator)
            if let data {
                context.write(wrapOutboundOut(header), promise: nil)
                context.write(wrapOutboundOut(data), promise: promise)
            } else {
                context.write(wrapOutboundOut(header), promise: promise)
            }
        } catch {
            promise?.fail(error)
        }
    }
}
