package io.sitegate.policy.internal.mqtt;

import io.sitegate.core.SafeText;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Turns what the client library and the JDK throw into one line a technician can act on. The text
 * holds class names of nothing, no key material (the JDK's TLS messages never carry any) and is
 * escaped with {@link SafeText} and bounded, because parts of it come from the broker.
 */
final class MqttErrors {
    private static final int MAX = 400;

    private MqttErrors() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        SSLException tls = null;
        Throwable certPath = null;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root instanceof SSLException s && tls == null) {
                tls = s;
            }
            if (root instanceof CertPathBuilderException || root instanceof CertPathValidatorException
                    || root instanceof CertificateException) {
                certPath = certPath == null ? root : certPath;
            }
        }
        if (e instanceof SSLException s) {
            tls = s;
        }
        String text;
        if (certPath != null) {
            text = "TLS: the broker's certificate is not trusted by the CA file or does not name the host ("
                    + message(certPath) + ")";
        } else if (tls != null) {
            String m = message(tls);
            if (m.contains("alert")) {
                text = "TLS: the broker refused the handshake (" + m
                        + "); is the client certificate issued by a CA the broker trusts?";
            } else {
                text = "TLS: " + m;
            }
        } else if (root instanceof GeneralSecurityException) {
            text = "TLS setup: " + message(root);
        } else if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            text = "broker unreachable: " + message(root);
        } else if (root instanceof UnknownHostException) {
            text = "broker host unknown: " + message(root);
        } else if (root instanceof SocketTimeoutException) {
            text = "broker did not answer in time: " + message(root);
        } else if (e instanceof MqttException m && m.getCause() == null) {
            text = m.getMessage() + " (reason code " + m.getReasonCode() + ")";
        } else if (root != e) {
            text = message(e) + ": " + message(root);
        } else {
            text = message(e);
        }
        return safe(text);
    }

    /** An MQTT 5 reason code in words. */
    static String reason(int code) {
        String name = switch (code) {
            case 0x00 -> "normal disconnection";
            case 0x04 -> "disconnect with will";
            case 0x80 -> "unspecified error";
            case 0x81 -> "malformed packet";
            case 0x82 -> "protocol error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x89 -> "server busy";
            case 0x8B -> "server shutting down";
            case 0x8D -> "keep alive timeout";
            case 0x8E -> "session taken over (another client with this id connected)";
            case 0x90 -> "topic name invalid";
            case 0x93 -> "receive maximum exceeded";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x9C -> "use another server";
            case 0x9D -> "server moved";
            default -> "reason code";
        };
        return name + " (0x" + Integer.toHexString(code) + ")";
    }

    static String safe(String text) {
        String s = SafeText.escape(text);
        return s.length() <= MAX ? s : s.substring(0, MAX) + "...";
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
