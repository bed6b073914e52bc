"""Partner apps: the local apps agencies already run, connected both ways.

A partner (LAPORHENDI, LAPOR Paman, pro-denpasar, HaloBPOM, ...) pushes the reports it received
and the answers its officers wrote, and gets every change of the reports it owns or that concern
its agency, by signed webhooks and by a pull feed.
"""
