using System.Globalization;
using System.Security.Claims;

namespace AgenteVendedor.Panel.Session;

/// <summary>
/// What the panel's session knows about its user. The Api's JWT is one of these claims: it lives in the
/// server-side ticket store, and the browser's cookie only names the ticket.
/// </summary>
public static class PanelClaims
{
    public const string Scheme = "panel";
    public const string ApiToken = "api_token";
    public const string EmpresaId = "empresa_id";
    public const string EmpresaNombre = "empresa_nombre";
    public const string ExpiresAt = "expira_en";

    public const string Admin = "admin";
    public const string Seller = "vendedor";
    public const string Observer = "observador";

    /// <summary>Roles that may change products, customers, sales and conversations.</summary>
    public const string Editors = Admin + "," + Seller;

    public static ClaimsPrincipal Create(SignedInUser user, string token, DateTimeOffset expiresAt)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.Nombre),
                new Claim(ClaimTypes.Email, user.Email),
                new Claim(ClaimTypes.Role, user.Rol),
                new Claim(EmpresaId, user.EmpresaId.ToString()),
                new Claim(EmpresaNombre, user.EmpresaNombre),
                new Claim(ApiToken, token),
                new Claim(ExpiresAt, expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            Scheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    public static string? TokenOf(ClaimsPrincipal user) => user.FindFirst(ApiToken)?.Value;

    public static bool IsCurrent(ClaimsPrincipal user, DateTimeOffset now) =>
        user.FindFirst(ExpiresAt)?.Value is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && DateTimeOffset.FromUnixTimeSeconds(seconds) > now;

    public static bool CanEdit(ClaimsPrincipal user) => user.IsInRole(Admin) || user.IsInRole(Seller);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Admin);
}

/// <summary>The user as <c>GET /auth/yo</c> describes them.</summary>
public sealed record SignedInUser(Guid Id, string Nombre, string Email, string Rol, Guid EmpresaId, string EmpresaNombre);
