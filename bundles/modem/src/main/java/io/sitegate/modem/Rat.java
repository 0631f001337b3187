package io.sitegate.modem;

/** Radio access technologies a policy can ask a modem for. */
public enum Rat {
    /** 2G GSM/GPRS/EDGE. */ GSM,
    /** 3G UMTS/HSPA (WCDMA). */ UMTS,
    /** 4G LTE (Cat 1 and above). */ LTE,
    /** LTE Cat M1 (eMTC). */ LTE_M,
    /** NB-IoT (LTE Cat NB1/NB2). */ NB_IOT
}
