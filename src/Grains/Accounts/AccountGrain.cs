using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Accounts;

/// <summary>Failed sign-ins of one e-mail address, per client address, kept across activations and silos.</summary>
[GenerateSerializer, Alias("av.SignInThrottleState")]
public sealed class SignInThrottleState
{
    /// <summary>Before lock-outs were per client: failures of every client together. Read as one more client, then emptied.</summary>
    [Id(0)]
    public List<DateTime> Failures { get; set; } = [];

    [Id(1)]
    public Dictionary<string, List<DateTime>> FailuresByClient { get; set; } = [];
}

public sealed class AccountGrain(
    [PersistentState("inicio-sesion", StorageNames.Default)] IPersistentState<SignInThrottleState> throttle,
    AccountStore store,
    PasswordHasher hasher,
    TimeProvider clock) : Grain, IAccountGrain
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    // Clients remembered per e-mail: the oldest is forgotten beyond this, so strangers cannot grow the state.
    public const int MaxClients = 200;
    private const string LegacyClient = "";

    private static readonly Problem BadCredentials = new(ProblemKind.Unauthorized, "Correo o contraseña incorrectos.");

    // Unknown e-mails are checked against this hash too, so both answers take the same time.
    private static string? _decoyHash;

    private string Email => this.GetPrimaryKeyString();

    public async Task<Outcome<SignedInUser>> RegisterAsync(Registration registration)
    {
        var hash = await hasher.HashAsync(registration.Password);
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

    /// <summary>
    /// A lock-out is per (e-mail, client): five failures from one address lock that address out of this
    /// account for the window, while the owner signing in from elsewhere is not affected.
    /// </summary>
    public async Task<Outcome<SignedInUser>> SignInAsync(string password, string client)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        client = client.Length > 64 ? client[..64] : client;
        var recent = Prune(now).GetValueOrDefault(client) ?? [];
        if (recent.Count >= MaxFailures)
        {
            var wait = recent[^MaxFailures] + FailureWindow - now;
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            return new Problem(ProblemKind.TooManyRequests,
                $"Demasiados intentos fallidos para esta cuenta desde tu red. Intenta de nuevo en {minutes} minuto(s).",
                RetryAfterSeconds: Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        }

        var account = await store.FindAsync(Email);
        var decoy = _decoyHash ??= hasher.Hash(Guid.NewGuid().ToString());
        var matches = await hasher.VerifyAsync(password, account?.PasswordHash ?? decoy);
        if (account is { Active: true } && matches)
        {
            if (throttle.State.FailuresByClient.Remove(client) || throttle.State.Failures.Count > 0)
            {
                throttle.State.Failures.Clear();
                await throttle.WriteStateAsync();
            }

            return new SignedInUser(account.UserId, account.TenantId, account.Role);
        }

        recent.Add(now);
        throttle.State.FailuresByClient[client] = recent;
        if (throttle.State.FailuresByClient.Count > MaxClients)
        {
            var quietest = throttle.State.FailuresByClient.MinBy(c => c.Value[^1]).Key;
            throttle.State.FailuresByClient.Remove(quietest);
        }

        await throttle.WriteStateAsync();
        return BadCredentials;
    }

    /// <summary>Drops failures outside the window (and clients left with none); folds the old shared list in as one client.</summary>
    private Dictionary<string, List<DateTime>> Prune(DateTime now)
    {
        var byClient = throttle.State.FailuresByClient;
        if (throttle.State.Failures.Count > 0)
        {
            byClient[LegacyClient] = [.. throttle.State.Failures];
            throttle.State.Failures = [];
        }

        foreach (var (client, failures) in byClient.ToList())
        {
            failures.RemoveAll(f => now - f >= FailureWindow);
            if (failures.Count == 0)
            {
                byClient.Remove(client);
            }
            else
            {
                failures.Sort();
            }
        }

        return byClient;
    }
}
