using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Accounts;

/// <summary>Failed sign-ins of one e-mail address, kept across activations and silos.</summary>
[GenerateSerializer, Alias("av.SignInThrottleState")]
public sealed class SignInThrottleState
{
    [Id(0)]
    public List<DateTime> Failures { get; set; } = [];
}

public sealed class AccountGrain(
    [PersistentState("inicio-sesion", StorageNames.Default)] IPersistentState<SignInThrottleState> throttle,
    AccountStore store,
    PasswordHasher hasher,
    TimeProvider clock) : Grain, IAccountGrain
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    private static readonly Problem BadCredentials = new(ProblemKind.Unauthorized, "Correo o contraseña incorrectos.");

    // Unknown e-mails are checked against this hash too, so both answers take the same time.
    private static string? _decoyHash;

    private string Email => this.GetPrimaryKeyString();

    public async Task<Outcome<SignedInUser>> RegisterAsync(Registration registration)
    {
        var hash = await Task.Run(() => hasher.Hash(registration.Password));
        try
        {
            return await store.CreateEmpresaAsync(registration, Email, hash, registration.TimeZone ?? EmpresaDefaults.TimeZone);
        }
        catch (Exception e) when (e.IsUniqueViolation("users_email_key"))
        {
            return new Problem(ProblemKind.Conflict, $"Ya existe una cuenta con el correo {Email}.",
                [new FieldError("usuario.email", "Ya existe una cuenta con este correo.")]);
        }
    }

    public async Task<Outcome<SignedInUser>> SignInAsync(string password)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var recent = throttle.State.Failures.Where(f => now - f < FailureWindow).OrderBy(f => f).ToList();
        if (recent.Count >= MaxFailures)
        {
            var wait = recent[^MaxFailures] + FailureWindow - now;
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            return new Problem(ProblemKind.TooManyRequests,
                $"Demasiados intentos fallidos para esta cuenta. Intenta de nuevo en {minutes} minuto(s).",
                RetryAfterSeconds: Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        }

        var account = await store.FindAsync(Email);
        var decoy = _decoyHash ??= hasher.Hash(Guid.NewGuid().ToString());
        var matches = await Task.Run(() => hasher.Verify(password, account?.PasswordHash ?? decoy));
        if (account is { Active: true } && matches)
        {
            if (throttle.State.Failures.Count > 0)
            {
                throttle.State.Failures.Clear();
                await throttle.WriteStateAsync();
            }

            return new SignedInUser(account.UserId, account.TenantId, account.Role);
        }

        recent.Add(now);
        throttle.State.Failures = recent;
        await throttle.WriteStateAsync();
        return BadCredentials;
    }
}
