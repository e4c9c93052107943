public import FoundationEssentials
import PGClient
public import PGWire

/// The payment methods of the current organization.
public struct PaymentMethodRepository: Sendable {
    let session: TenantSession

    /// Adds a payment method, recorded as added by the context's user, optionally settling into
    /// `accountID`.
    ///
    /// ```swift
    /// let stripe = try await repos.paymentMethods.create(
    ///     name: "Stripe", type: .stripe, accountID: checking.id,
    ///     processingFeeRate: PGNumeric("0.029"), fixedFee: PGNumeric("0.30"))
    /// ```
    ///
    /// - Throws: `PGError` for an account of another organization (foreign key violation), a fee
    ///   rate outside 0...1 or a negative fixed fee.
    public func create(
        name: String, type: PaymentMethodType, accountID: UUID? = nil, description: String? = nil,
        processingFeeRate: PGNumeric? = nil, fixedFee: PGNumeric? = nil, currency: String = "USD",
        isDefault: Bool = false
    ) async throws -> PaymentMethod {
        let context = session.context
        return try await session.record(
            PaymentMethod.self, "paymentMethods.create", entity: "payment_methods",
            id: context.organizationID,
            """
            INSERT INTO financbase.payment_methods
                (organization_id, user_id, account_id, method_type, name, description, processing_fee_rate,
                 fixed_fee, currency, is_default)
            VALUES (\(context.organizationID), \(context.userID), \(accountID), \(type), \(name), \(description),
                    \(processingFeeRate), \(fixedFee), \(currency), \(isDefault))
            RETURNING \(columnsOf: PaymentMethod.self)
            """)
    }

    /// The payment method with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> PaymentMethod {
        try await session.fetch(
            PaymentMethod.self, "paymentMethods.get", id: id)
    }

    /// Saves the changeable fields of `method`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ method: PaymentMethod) async throws -> PaymentMethod {
        try await session.record(
            PaymentMethod.self, "paymentMethods.update", entity: "payment_methods", id: method.id,
            """
            UPDATE financbase.payment_methods
            SET account_id = \(method.accountID), method_type = \(method.methodType), name = \(method.name),
                description = \(method.description), processing_fee_rate = \(method.processingFeeRate),
                fixed_fee = \(method.fixedFee), currency = \(method.currency), status = \(method.status),
                is_default = \(method.isDefault)
            WHERE id = \(method.id) RETURNING \(columnsOf: PaymentMethod.self)
            """)
    }

    /// Deletes the payment method with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` while payments, expenses or
    ///   transactions reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("paymentMethods.delete", table: "payment_methods", id: id)
    }

    /// A page of payment methods, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        PaymentMethod
    > {
        try await session.page(
            PaymentMethod.self, "paymentMethods.list", after: cursor,
            limit: limit)
    }
}

extension TenantRepositories {
    /// The payment methods of the current organization.
    public var paymentMethods: PaymentMethodRepository { PaymentMethodRepository(session: session) }
}
