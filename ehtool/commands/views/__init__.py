"""commands/views"""
