using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgenteVendedor.Channels;

/// <summary>
/// Encrypts channel secrets at rest with AES-256-GCM under a key from configuration
/// (Secrets:Key, base64 of 32 bytes). Layout: nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretBox(byte[] key)
{
    public byte[] Seal<T>(T value)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }

    public T Open<T>(byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return JsonSerializer.Deserialize<T>(plain)!;
    }

    /// <summary>The configured key; outside Production a generated one kept under the data directory.</summary>
    public static SecretBox FromConfiguration(string? configured, string dataDirectory, bool production)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length == 32
                ? new SecretBox(bytes)
                : throw new InvalidOperationException("Secrets:Key debe ser 32 bytes aleatorios en base64 (openssl rand -base64 32).");
        }

        if (production)
        {
            throw new InvalidOperationException("En producción Secrets:Key es obligatoria (32 bytes aleatorios en base64) para cifrar los secretos de los canales.");
        }

        var file = Path.Combine(dataDirectory, "secrets.key");
        if (File.Exists(file))
        {
            return new SecretBox(Convert.FromBase64String(File.ReadAllText(file).Trim()));
        }

        Directory.CreateDirectory(dataDirectory);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(file, Convert.ToBase64String(key), Encoding.ASCII);
        return new SecretBox(key);
    }
}
