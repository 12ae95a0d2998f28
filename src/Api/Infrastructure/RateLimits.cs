using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// Request limits per real client (see <see cref="ClientNetwork"/>), per user or per empresa, each
/// settable under RateLimiting:*. Partitions of clients that went quiet are dropped by the limiter,
/// so strangers' addresses do not accumulate.
/// </summary>
public static class RateLimits
{
    /// <summary>/auth/login and /auth/registro: per client address.</summary>
    public const string Auth = "autenticacion";

    /// <summary>/webhooks/*: per client address (Meta and Telegram deliver from their own ranges).</summary>
    public const string Webhooks = "webhooks";

    /// <summary>/chat: per signed-in user.</summary>
    public const string Chat = "chat";

    /// <summary>POST /usuarios: per empresa — each creation costs a PBKDF2 hash on a silo.</summary>
    public const string UserCreation = "crear-usuario";

    public static void AddRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var auth = config.GetValue("RateLimiting:AuthPermitsPerMinute", 20);
        var webhooks = config.GetValue("RateLimiting:WebhookPermitsPerSecond", 200);
        var chat = config.GetValue("RateLimiting:ChatPermitsPerMinute", 120);
        var users = config.GetValue("RateLimiting:UserCreationsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.AddPolicy(Auth, http => RateLimitPartition.GetFixedWindowLimiter(
                http.ClientKey(), _ => PerMinute(auth)));
            o.AddPolicy(Webhooks, http => RateLimitPartition.GetTokenBucketLimiter(http.ClientKey(), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, webhooks * 2),
                TokensPerPeriod = Math.Max(1, webhooks),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            o.AddPolicy(Chat, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirstValue(UserContext.SubjectClaim) ?? http.ClientKey(), _ => PerMinute(chat)));
            o.AddPolicy(UserCreation, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirstValue(UserContext.EmpresaClaim) ?? http.ClientKey(), _ => PerMinute(users)));
        });
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"Has hecho demasiadas solicitudes. Espera {seconds} segundo(s) y vuelve a intentarlo.",
            },
        });
    }
}
