using AgenteVendedor.Common;

namespace AgenteVendedor.Customers;

/// <summary>An empresa's customers (key: empresa id). Phones are stored in E.164, unique per empresa.</summary>
public interface ICustomersGrain : IGrainWithGuidKey
{
    Task<Outcome<Customer>> SaveCustomerAsync(Actor actor, Guid? customerId, CustomerInput input);

    /// <summary>The customer with this phone in the empresa, created (or completed) with the given data.</summary>
    Task<Outcome<Customer>> FindOrCreateCustomerAsync(Actor actor, CustomerInput input);

    Task<Customer?> GetCustomerAsync(Guid customerId);

    Task<Page<Customer>> ListCustomersAsync(string? search, int page, int size);
}

[GenerateSerializer, Immutable, Alias("av.Customer")]
public sealed record Customer(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Phone,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? Document,
    [property: Id(5)] string? Address,
    [property: Id(6)] string? Notes,
    [property: Id(7)] DateTime CreatedAt);

[GenerateSerializer, Immutable, Alias("av.CustomerInput")]
public sealed record CustomerInput(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] string? Email,
    [property: Id(3)] string? Document,
    [property: Id(4)] string? Address,
    [property: Id(5)] string? Notes);
