using AgenteVendedor.Accounts;
using AgenteVendedor.Common;

namespace AgenteVendedor.Grains.Tests;

/// <summary>Small steps that many grain tests start from.</summary>
public static class Scenario
{
    public const string Password = "clave-segura-1";

    /// <summary>The client address a sign-in comes from (the Api passes the caller's address).</summary>
    public const string Client = "203.0.113.10";

    public static string NewEmail(string who = "admin") => $"{who}.{Guid.NewGuid():N}@ejemplo.co";

    public static async Task<SignedInUser> RegisterAsync(IGrainFactory grains, string? email = null, string empresa = "Ferretería La Tuerca")
    {
        var outcome = await grains.GetGrain<IAccountGrain>(email ?? NewEmail())
            .RegisterAsync(new Registration(empresa, "COP", "es-CO", "Ana Pérez", Password));
        Assert.True(outcome.Succeeded, outcome.Problem?.Message);
        return outcome.Value!;
    }

    public static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Problem?.Message);
        return outcome.Value!;
    }

    public static Actor AsAdmin(this SignedInUser user) => new(user.UserId, user.Role);
}
