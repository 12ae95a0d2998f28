using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgenteVendedor.Security;

/// <summary>
/// Salted PBKDF2-HMAC-SHA256 password hashes, stored as "pbkdf2-sha256$iterations$salt$hash"
/// so the work factor can rise later without invalidating older hashes.
/// </summary>
public sealed class PasswordHasher(int iterations)
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int RecommendedIterations = 600_000;

    public int Iterations { get; } = iterations >= 10_000
        ? iterations
        : throw new ArgumentOutOfRangeException(nameof(iterations), "At least 10,000 iterations are required.");

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
