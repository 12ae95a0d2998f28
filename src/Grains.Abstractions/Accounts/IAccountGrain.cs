using AgenteVendedor.Common;

namespace AgenteVendedor.Accounts;

/// <summary>
/// One per e-mail address (normalised to lower case): registers a new empresa with its first
/// admin, and checks passwords, refusing for a while after repeated failures.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    Task<Outcome<SignedInUser>> RegisterAsync(Registration registration);

    /// <summary>Checks a password; <paramref name="client"/> (the caller's address) scopes the lock-out after repeated failures.</summary>
    Task<Outcome<SignedInUser>> SignInAsync(string password, string client);
}

[GenerateSerializer, Immutable, Alias("av.Registration")]
public sealed record Registration(
    [property: Id(0)] string EmpresaName,
    [property: Id(1)] string Currency,
    [property: Id(2)] string Culture,
    [property: Id(3)] string UserName,
    [property: Id(4)] string Password,
    [property: Id(5)] string? TimeZone = null);

/// <summary>What a token is issued for.</summary>
[GenerateSerializer, Immutable, Alias("av.SignedInUser")]
public sealed record SignedInUser(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] Guid EmpresaId,
    [property: Id(2)] string Role);
