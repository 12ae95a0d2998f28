using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace AgenteVendedor.Channels;

/// <summary>A channel's sealed secrets together with the channel they belong to (the ciphertext is bound to that id).</summary>
public sealed record SealedSecret(Guid ChannelId, byte[] Bytes);

/// <summary>The sealed bytes could not be opened: wrong channel, unknown key, tampered or unreadable.</summary>
public sealed class SecretUnreadableException(string message) : CryptographicException(message);

/// <summary>
/// Encrypts channel secrets at rest with AES-256-GCM. Layout (version 1):
/// <c>0x01 | key id (4) | nonce (12) | tag (16) | ciphertext</c>, with the version, the key id and the
/// channel id as associated data, so a ciphertext copied onto another channel does not open.
/// The key id is derived from the key, so rotating is: new key in Secrets:Key, the old one in
/// Secrets:PreviousKeys (read only); each silo start re-seals what the old key sealed.
/// The layout before version 1 (<c>nonce | tag | ciphertext</c>, no associated data) is read only by
/// <see cref="OpenAnyLayout{T}"/>, which the start-up re-seal uses once per row; <see cref="Open{T}"/> refuses it.
/// </summary>
public sealed class SecretBox
{
    public const byte Version = 1;
    private const int KeyIdLength = 4;
    private const int HeaderLength = 1 + KeyIdLength;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int Overhead = HeaderLength + NonceLength + TagLength;

    private readonly Key _current;
    private readonly IReadOnlyList<Key> _keys;

    private sealed record Key(byte[] Id, byte[] Material, byte[] TokenHashKey);

    public SecretBox(byte[] currentKey, params byte[][] previousKeys)
    {
        _current = Derive(currentKey);
        _keys = [_current, .. previousKeys.Select(Derive).Where(k => !k.Id.AsSpan().SequenceEqual(_current.Id))];
    }

    /// <summary>The first bytes of every seal made now: the version and the current key's id (derived from the key).</summary>
    public byte[] CurrentHeader => [Version, .. _current.Id];

    public byte[] Seal<T>(Guid channelId, T value)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value);
        var sealedBytes = new byte[Overhead + plain.Length];
        sealedBytes[0] = Version;
        _current.Id.CopyTo(sealedBytes, 1);
        var nonce = sealedBytes.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Material, TagLength);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(Overhead), sealedBytes.AsSpan(HeaderLength + NonceLength, TagLength),
            AssociatedData(sealedBytes.AsSpan(0, HeaderLength), channelId));
        return sealedBytes;
    }

    /// <summary>Opens version-1 secrets of their channel; <see cref="SecretUnreadableException"/> when they do not open.</summary>
    public T Open<T>(SealedSecret secret)
    {
        var bytes = secret.Bytes;
        if (bytes.Length < Overhead || bytes[0] != Version)
        {
            throw new SecretUnreadableException($"Los secretos del canal {secret.ChannelId} no tienen el formato cifrado vigente.");
        }

        var key = _keys.FirstOrDefault(k => bytes.AsSpan(1, KeyIdLength).SequenceEqual(k.Id))
            ?? throw new SecretUnreadableException(
                $"Los secretos del canal {secret.ChannelId} se cifraron con una clave que no está configurada (id {Convert.ToHexString(bytes, 1, KeyIdLength)}).");
        var plain = new byte[bytes.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key.Material, TagLength);
            aes.Decrypt(bytes.AsSpan(HeaderLength, NonceLength), bytes.AsSpan(Overhead), bytes.AsSpan(HeaderLength + NonceLength, TagLength), plain,
                AssociatedData(bytes.AsSpan(0, HeaderLength), secret.ChannelId));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretUnreadableException($"Los secretos del canal {secret.ChannelId} no corresponden a ese canal o fueron alterados.");
        }

        return Deserialize<T>(plain, secret.ChannelId);
    }

    /// <summary>Opens secrets in whichever layout and key they were sealed with, the pre-version-1 layout included.</summary>
    public T OpenAnyLayout<T>(SealedSecret secret)
    {
        try
        {
            return Open<T>(secret);
        }
        catch (SecretUnreadableException) when (secret.Bytes.Length >= NonceLength + TagLength)
        {
            return OpenLegacy<T>(secret);
        }
    }

    /// <summary>The layout before version 1: nonce | tag | ciphertext, no associated data; tried with every configured key.</summary>
    private T OpenLegacy<T>(SealedSecret secret)
    {
        var bytes = secret.Bytes;
        var plain = new byte[bytes.Length - NonceLength - TagLength];
        foreach (var key in _keys)
        {
            try
            {
                using var aes = new AesGcm(key.Material, TagLength);
                aes.Decrypt(bytes.AsSpan(0, NonceLength), bytes.AsSpan(NonceLength + TagLength), bytes.AsSpan(NonceLength, TagLength), plain);
                return Deserialize<T>(plain, secret.ChannelId);
            }
            catch (AuthenticationTagMismatchException)
            {
                // Not this key: try the next one.
            }
        }

        throw new SecretUnreadableException($"Los secretos del canal {secret.ChannelId} no se pueden abrir con ninguna clave configurada.");
    }

    /// <summary>HMAC-SHA256 of a verify token under the current key: what is stored to find the channel by its token.</summary>
    public byte[] TokenHash(string token) => HMACSHA256.HashData(_current.TokenHashKey, Encoding.UTF8.GetBytes(token));

    /// <summary>The token's HMAC under every configured key: rows hashed before a rotation are still found.</summary>
    public byte[][] TokenHashes(string token) =>
        [.. _keys.Select(k => HMACSHA256.HashData(k.TokenHashKey, Encoding.UTF8.GetBytes(token)))];

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, Guid channelId)
    {
        var data = new byte[header.Length + 16];
        header.CopyTo(data);
        channelId.TryWriteBytes(data.AsSpan(header.Length));
        return data;
    }

    private static T Deserialize<T>(byte[] plain, Guid channelId)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(plain) ?? throw new SecretUnreadableException($"Los secretos del canal {channelId} están vacíos.");
        }
        catch (JsonException)
        {
            throw new SecretUnreadableException($"Los secretos del canal {channelId} no tienen la forma esperada.");
        }
    }

    private static Key Derive(byte[] material)
    {
        if (material.Length != 32)
        {
            throw new InvalidOperationException("Cada clave de Secrets debe ser 32 bytes aleatorios en base64 (openssl rand -base64 32).");
        }

        var id = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, KeyIdLength, info: "agentevendedor/secretbox/key-id"u8.ToArray());
        var tokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "agentevendedor/secretbox/verify-token"u8.ToArray());
        return new Key(id, material, tokenKey);
    }

    /// <summary>
    /// Secrets:Key (base64, 32 bytes) is the key new seals use; Secrets:PreviousKeys (comma-separated)
    /// are only read. Outside Production a key is generated once into DataDirectory/secrets.key (mode 0600).
    /// </summary>
    public static SecretBox FromConfiguration(IConfiguration config, bool production)
    {
        var previous = (config["Secrets:PreviousKeys"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => KeyBytes(k, "Secrets:PreviousKeys"))
            .ToArray();
        if (config["Secrets:Key"] is { } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return new SecretBox(KeyBytes(configured, "Secrets:Key"), previous);
        }

        if (production)
        {
            throw new InvalidOperationException("En producción Secrets:Key es obligatoria (32 bytes aleatorios en base64) para cifrar los secretos de los canales.");
        }

        return new SecretBox(KeyFile.ReadOrCreate(Path.Combine(config["DataDirectory"] ?? ".data", "secrets.key"), 32), previous);
    }

    private static byte[] KeyBytes(string base64, string setting)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == 32
            ? buffer[..written]
            : throw new InvalidOperationException($"{setting} debe ser 32 bytes aleatorios en base64 (openssl rand -base64 32).");
    }
}

/// <summary>A generated key kept in a file only its owner can read or write (0600).</summary>
public static class KeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static byte[] ReadOrCreate(string path, int length)
    {
        if (File.Exists(path))
        {
            RestrictToOwner(path);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(length);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with the mode already set: the key is never readable by others, not even for a moment.
            options.UnixCreateMode = OwnerOnly;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
        }

        try
        {
            // Renamed whole into place: a process starting at the same time never reads half a key.
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }

    /// <summary>A key file left readable by others (by an older version) is narrowed to its owner.</summary>
    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
