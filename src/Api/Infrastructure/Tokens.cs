using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AgenteVendedor.Accounts;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>Issues and checks the Api's JWTs (HMAC-SHA256 with a key from configuration).</summary>
public sealed class Tokens(SymmetricSecurityKey key, TimeSpan lifetime, TimeProvider clock)
{
    public const string Issuer = "agentevendedor";
    public const string Audience = "agentevendedor-api";
    private const int MinimumKeyBytes = 32;

    public TimeSpan Lifetime => lifetime;

    public string Issue(SignedInUser user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [UserContext.SubjectClaim] = user.UserId.ToString(),
                [UserContext.EmpresaClaim] = user.EmpresaId.ToString(),
                [UserContext.RoleClaim] = user.Role,
            },
        });
    }

    public static Tokens FromConfiguration(IConfiguration config, IHostEnvironment environment)
    {
        var lifetime = TimeSpan.FromMinutes(config.GetValue("Jwt:LifetimeMinutes", 60));
        return new Tokens(new SymmetricSecurityKey(LoadKey(config, environment)), lifetime, TimeProvider.System);
    }

    /// <summary>
    /// Jwt:SigningKey (base64, or text of at least 32 bytes) wins. Outside Production a key is
    /// generated once and kept under the data directory; Production refuses to start without one.
    /// </summary>
    private static byte[] LoadKey(IConfiguration config, IHostEnvironment environment)
    {
        var configured = config["Jwt:SigningKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = TryBase64(configured) ?? Encoding.UTF8.GetBytes(configured);
            return bytes.Length >= MinimumKeyBytes
                ? bytes
                : throw new InvalidOperationException(
                    $"Jwt:SigningKey es demasiado corta: se necesitan al menos {MinimumKeyBytes} bytes aleatorios (por ejemplo 'openssl rand -base64 48').");
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                "En producción Jwt:SigningKey es obligatoria (variable Jwt__SigningKey, al menos 32 bytes aleatorios en base64).");
        }

        var file = config["Jwt:KeyFile"] ?? Path.Combine(config["DataDirectory"] ?? ".data", "jwt-signing.key");
        if (File.Exists(file))
        {
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var generated = RandomNumberGenerator.GetBytes(64);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start: the key is never readable by others, not even before a chmod.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(file, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(generated)));
        }

        return generated;
    }

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    public void ConfigureBearer(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = UserContext.SubjectClaim,
            RoleClaimType = UserContext.RoleClaim,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        options.Events = new JwtBearerEvents { OnTokenValidated = CheckUserStillActiveAsync };
    }

    // A token outlives a role change or a deactivation; the empresa's grain has the user's current
    // state in memory, so each request takes the role from there and refuses deactivated users.
    private static async Task CheckUserStillActiveAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirstValue(UserContext.EmpresaClaim), out var empresaId)
            || !Guid.TryParse(principal.FindFirstValue(UserContext.SubjectClaim), out var userId))
        {
            context.Fail("El token no identifica a un usuario.");
            return;
        }

        var grains = context.HttpContext.RequestServices.GetRequiredService<IClusterClient>();
        var user = await grains.GetGrain<IEmpresaGrain>(empresaId).FindUserAsync(userId);
        if (user is not { Active: true })
        {
            context.Fail("El usuario no existe o está desactivado.");
            return;
        }

        var identity = new ClaimsIdentity(
            principal.Claims.Where(c => c.Type != UserContext.RoleClaim).Append(new Claim(UserContext.RoleClaim, user.Role)),
            JwtBearerDefaults.AuthenticationScheme, UserContext.SubjectClaim, UserContext.RoleClaim);
        context.Principal = new ClaimsPrincipal(identity);
    }
}
