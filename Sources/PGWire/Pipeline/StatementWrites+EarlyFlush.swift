extension StatementWrites {
    /// The fewest statements for which a batch asks the server for its results early.
    package static let earlyFlushMinimum = 32

    /// How many of the batch's statements are written before a Flush, or `nil` when the batch
    /// has none: all but the last eighth of them, for a batch of ``earlyFlushMinimum`` or more.
    ///
    /// The server holds a batch's results until its Sync (or until 8 KiB of them fill its
    /// output buffer), so without a Flush the client reads and decodes every result after the
    /// server has run the last statement, and the two take turns. The Flush has the server send
    /// what it has when it reaches it: the client decodes most of the results while the server
    /// runs the last eighth. A Flush changes nothing else: the statements stay in the one
    /// implicit transaction their Sync ends, and after an error the server skips it as it skips
    /// everything up to the Sync. In a smaller batch, the send it adds to the server's work
    /// costs about what the overlap saves.
    package var earlyFlushAfter: Int? {
        count >= Self.earlyFlushMinimum ? count - count / 8 : nil
    }
}
