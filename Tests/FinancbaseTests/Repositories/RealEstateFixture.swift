import Financbase
import Foundation
import PGWire

/// A property with three units and two renters, made by a tenant's admin (only admins write
/// properties), for the real-estate tests.
struct RealEstateFixture: Sendable {
    let property: Property
    let units: [RentalUnit]
    let renters: [Renter]

    static func make(_ repos: TenantRepositories, name: String = "Harbor View") async throws
        -> RealEstateFixture
    {
        let property = try await repos.properties.create(
            name: name, address: "12 Harbor Street", city: "Austin", country: "US",
            kind: .residential,
            purchasePrice: try numeric("1250000.00"), purchasedOn: try date(2019, 5, 2))
        var units: [RentalUnit] = []
        for label in ["Apt 1A", "Apt 1B", "Apt 2A"] {
            units.append(
                try await repos.units.create(
                    propertyID: property.id, label: label, bedrooms: 2,
                    areaM2: try numeric("64.50"),
                    marketRent: try numeric("1450.00")))
        }
        let renters = [
            try await repos.renters.create(
                name: "Ada Byron", email: "ada@renters.test", phone: "+1 555 0100"),
            try await repos.renters.create(name: "Alan Mathison", email: "alan@renters.test"),
        ]
        return RealEstateFixture(property: property, units: units, renters: renters)
    }
}
