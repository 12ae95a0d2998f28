using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AgenteVendedor.Panel.Session;

public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/salir", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/ingresar");
        });
        return app;
    }

    /// <summary>Opens the panel session for a token the Api just issued.</summary>
    public static Task SignInAsync(HttpContext http, string token, int expiresInSeconds, SignedInUser user)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(Math.Max(60, expiresInSeconds) - 30);
        var principal = PanelClaims.Create(user, token, expiresAt);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { ExpiresUtc = expiresAt, IsPersistent = false, AllowRefresh = false });
    }
}
