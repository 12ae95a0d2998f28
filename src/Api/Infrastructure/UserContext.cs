using System.Security.Claims;
using AgenteVendedor.Common;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>Reads the caller from the validated token: the empresa comes from here and nowhere else.</summary>
public static class UserContext
{
    public const string EmpresaClaim = "empresa_id";
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static Guid EmpresaId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(EmpresaClaim)!);

    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(SubjectClaim)!);

    public static Actor Actor(this ClaimsPrincipal user) => new(user.UserId(), user.FindFirstValue(RoleClaim)!);
}
