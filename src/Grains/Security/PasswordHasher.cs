using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgenteVendedor.Security;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes, stored as "pbkdf2-sha256$iterations$salt$hash"
/// so the work factor can rise later without invalidating older hashes.
/// </summary>
/// <remarks>
/// Each hash costs a few hundred milliseconds of a core. The async forms run at most one per core
/// at a time, off the grain's turn: a flood of sign-ins or user creations waits its turn instead of
/// taking every thread of the silo.
/// </remarks>
public sealed class PasswordHasher(int iterations)
{
    private readonly SemaphoreSlim _cores = new(Math.Max(1, Environment.ProcessorCount));

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int RecommendedIterations = 600_000;

    public int Iterations { get; } = iterations >= 10_000
        ? iterations
        : throw new ArgumentOutOfRangeException(nameof(iterations), "At least 10,000 iterations are required.");

    public Task<string> HashAsync(string password) => OnOneCoreAsync(() => Hash(password));

    public Task<bool> VerifyAsync(string password, string stored) => OnOneCoreAsync(() => Verify(password, stored));

    private async Task<T> OnOneCoreAsync<T>(Func<T> work)
    {
        await _cores.WaitAsync();
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            _cores.Release();
        }
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds < 1)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, rounds, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
